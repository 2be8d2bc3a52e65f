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
 * 90) and to compute_75 PTX; skipped with the reason where nvcc is not on PATH. Needs no GPU.
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

    @Test
    void everyKernelCompilesForEveryTarget() throws Exception {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not on PATH: the kernels cannot be compiled here");
        for (Path cu : kernels()) {
            String name = cu.getFileName().toString().replace(".cu", "");
            for (int sm : TARGETS) {
                Path out = tmp.resolve(name + ".sm_" + sm + ".cubin");
                compile(nvcc, List.of("-cubin", "-arch=sm_" + sm, "-o", out.toString(), cu.toString()), out);
                byte[] head = Files.readAllBytes(out);
                assertTrue(head.length > 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F',
                        () -> out + " is not an ELF cubin");
            }
            Path ptx = tmp.resolve(name + ".compute_75.ptx");
            compile(nvcc, List.of("-ptx", "-arch=compute_75", "-o", ptx.toString(), cu.toString()), ptx);
            assertTrue(Files.readString(ptx).contains(".entry int4_conv") || !name.equals("int4_conv"),
                    "int4_conv.ptx has no int4_conv entry point");
        }
    }

    /** The build script's PTX check: with nvcc it produces cubins for every target and a PTX of ISA 8.0 or its own. */
    @Test
    void buildScriptPackagesCubinsAndPtx() throws Exception {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not on PATH: the kernels cannot be compiled here");
        Process p = new ProcessBuilder("bash", root().resolve("scripts/build-kernels.sh").toString(),
                tmp.resolve("out").toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        List<String> index = Files.readAllLines(tmp.resolve("out/kernels.txt"));
        assertEquals(kernels().size(), index.size(), log);
        for (String name : index) {
            for (int sm : TARGETS) {
                assertTrue(Files.size(tmp.resolve("out/" + name + ".sm_" + sm + ".cubin")) > 0);
            }
            String ptx = Files.readString(tmp.resolve("out/" + name + ".compute_75.ptx"));
            assertTrue(ptx.contains("\n.version "), name + ".ptx has no .version line");
        }
    }
}
