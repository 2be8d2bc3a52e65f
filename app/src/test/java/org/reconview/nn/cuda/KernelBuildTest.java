package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kernels/*.cu compiles with nvcc to a non-empty cubin for each target of the CUDA backend (sm_75, 80, 86, 89,
 * 90) and to compute_75 PTX, packaged by the build; skipped with the reason where nvcc is not on PATH. Needs no GPU.
 */
class KernelBuildTest {
    static final List<Integer> TARGETS = List.of(75, 80, 86, 89, 90);

    @TempDir
    Path tmp;

    static Path nvcc() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "nvcc");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Path root() {
        String r = System.getProperty("reconview.root");
        return r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
    }

    static List<Path> kernels() throws IOException {
        try (Stream<Path> s = Files.list(root().resolve("kernels"))) {
            return s.filter(p -> p.toString().endsWith(".cu")).sorted().toList();
        }
    }

    static void compile(Path nvcc, List<String> args, Path out) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(nvcc.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc timed out: " + cmd);
        assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + ":\n" + log);
        assertTrue(Files.size(out) > 0, () -> out + " is empty");
    }

    @Test
    void kernelsExist() throws IOException {
        assertFalse(kernels().isEmpty(), "no kernels/*.cu");
    }

    /**
     * The build ran scripts/build-kernels.sh (generate-resources) with this nvcc: every kernels/*.cu is packaged as an
     * ELF cubin for each target and as PTX of ISA 8.0 (or its own) with its entry points. Checked on the build's own
     * output rather than compiling everything again (int4_mma.cu takes nvcc several seconds a target).
     */
    @Test
    void buildPackagedEveryKernelForEveryTarget() throws Exception {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not on PATH: the kernels cannot be compiled here");
        List<String> index = KernelModules.names();
        assertNotNull(index, "nvcc is on PATH but the build packaged no kernels/kernels.txt");
        List<String> sources = kernels().stream().map(p -> p.getFileName().toString().replace(".cu", "")).toList();
        assertEquals(sources, index.stream().sorted().toList(), "packaged kernels");
        for (String name : index) {
            for (int sm : TARGETS) {
                byte[] cubin = KernelModules.image(name, sm);
                assertTrue(cubin.length > 4 && cubin[0] == 0x7f && cubin[1] == 'E' && cubin[2] == 'L'
                        && cubin[3] == 'F', name + ".sm_" + sm + " is not an ELF cubin");
            }
            String ptx = new String(KernelModules.image(name, 120), StandardCharsets.US_ASCII);
            assertTrue(ptx.contains("\n.version "), name + ".ptx has no .version line");
        }
        String mma = new String(KernelModules.image("int4_mma", 120), StandardCharsets.US_ASCII);
        for (String entry : List.of("int4_conv3_s4", "int4_conv1_s4", "int4_conv3_s8", "int4_conv1_s8",
                "int8_input_conv3", "int4_kernel_prediction")) {
            assertTrue(mma.contains(".entry " + entry), "int4_mma.ptx has no " + entry + " entry point");
        }
    }

    /** The script itself on one kernel: cubins for every target and a PTX whose ISA version ptxas accepted. */
    @Test
    void buildScriptPackagesCubinsAndPtx() throws Exception {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not on PATH: the kernels cannot be compiled here");
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("scripts"));
        Files.createDirectories(src.resolve("kernels"));
        Files.copy(root().resolve("scripts/build-kernels.sh"), src.resolve("scripts/build-kernels.sh"));
        for (String f : List.of("roofline.cu", "cuda_compat.cuh", "mma.cuh")) {
            Files.copy(root().resolve("kernels").resolve(f), src.resolve("kernels").resolve(f));
        }
        Process p = new ProcessBuilder("bash", src.resolve("scripts/build-kernels.sh").toString(),
                tmp.resolve("out").toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        assertEquals(List.of("roofline"), Files.readAllLines(tmp.resolve("out/kernels.txt")));
        for (int sm : TARGETS) {
            assertTrue(Files.size(tmp.resolve("out/roofline.sm_" + sm + ".cubin")) > 0);
        }
        String ptx = Files.readString(tmp.resolve("out/roofline.compute_75.ptx"));
        assertTrue(ptx.contains("\n.version 8.0") || log.contains("kept"), log);
    }
}
