package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.nn.cuda.CudaBackend;

/**
 * {@code --backend} of eval: cuda where it cannot run and unknown names end with one line and exit code 2; auto
 * falls back to GLSL here and says so once.
 */
class BackendOptionTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void gl() {
        GlTest.context(); // keeps GLFW initialised while eval opens and closes its own context
    }

    @AfterAll
    static void restoreContext() {
        GlTest.context(); // eval's context was current and is gone
    }

    static void assumeNoDriver() {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidia0")) || CudaBackend.probe().available(),
                "CUDA is usable here: the fallback cannot be observed");
    }

    String[] eval(String backend) {
        return new String[] {"eval", "--scene", "courtyard", "--size", "32x32", "--frames", "3", "--warmup", "1",
            "--spp", "2", "--methods", "input,qwnet", "--out", tmp.resolve("out").toString(), "--backend", backend};
    }

    @Test
    void cudaUnavailableIsOneLine() {
        assumeNoDriver();
        BadInputTest.Result r = BadInputTest.run(eval("cuda"));
        String line = BadInputTest.assertUserError(r, "--backend cuda: ", CudaBackend.probe().reason());
        assertTrue(line.contains("no NVIDIA driver"), line);
        assertFalse(Files.exists(tmp.resolve("out/summary.json")));
    }

    @Test
    void benchCudaWithoutDriverIsOneLineAndNoFile() {
        assumeNoDriver();
        BadInputTest.Result r = BadInputTest.run(new String[] {"bench", "--what", "cuda", "--out",
            tmp.resolve("cuda.json").toString()});
        BadInputTest.assertUserError(r, "bench --what cuda: CUDA unavailable: ", CudaBackend.probe().reason());
        assertFalse(Files.exists(tmp.resolve("cuda.json")));
    }

    @Test
    void unknownBackendListsChoices() {
        BadInputTest.Result r = BadInputTest.run(eval("nosuch"));
        BadInputTest.assertUserError(r, "--backend", "nosuch", "auto, cuda, glsl, cpu");
    }

    @Test
    void cpuIsForTestsOnly() {
        BadInputTest.Result r = BadInputTest.run(eval("cpu"));
        BadInputTest.assertUserError(r, "--backend cpu", "tests only");
    }

    @Test
    void autoFallsBackToGlslOnce() {
        assumeNoDriver();
        BadInputTest.Result r = BadInputTest.run(eval("auto"));
        assertEquals(0, r.code(), () -> "stderr: " + r.err());
        List<String> lines = r.err().lines().filter(l -> l.contains("CUDA backend")).toList();
        assertEquals(List.of("qwnet: CUDA backend unavailable (" + CudaBackend.probe().reason() + "); using GLSL"),
                lines, r.err());
        assertTrue(Files.exists(tmp.resolve("out/summary.json")));
        assertTrue(r.out().contains("qwnet"), r.out());
        com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(
                assertDoesNotThrow(() -> Files.readString(tmp.resolve("out/summary.json")))).getAsJsonObject();
        String qwnet = summary.getAsJsonObject("implementations").get("qwnet").getAsString();
        assertTrue(qwnet.startsWith("qwnet (INT4 feature extractor, FP32 filter network)"), qwnet);
        assertEquals("input", summary.getAsJsonObject("implementations").get("input").getAsString());
    }

    @Test
    void glslSaysNothing() {
        BadInputTest.Result r = BadInputTest.run(eval("glsl"));
        assertEquals(0, r.code(), () -> "stderr: " + r.err());
        assertFalse(r.err().contains("CUDA"), r.err());
    }
}
