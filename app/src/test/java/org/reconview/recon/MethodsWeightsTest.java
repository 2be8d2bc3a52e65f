package org.reconview.recon;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;

/** --weights files go to the method of their architecture and trained precision. */
class MethodsWeightsTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    static Path file(Path dir, String name, NetworkSpec spec, String precision) {
        Path f = dir.resolve(name);
        Weights w = Weights.random(spec, 7);
        w.withMetadata(Map.of("trained_precision", precision)).write(f);
        return f;
    }

    @Test
    void eachMethodTakesItsFile(@TempDir Path tmp) {
        Path q4 = file(tmp, "q4.safetensors", NetworkSpec.qwnet(), "int4");
        Path q32 = file(tmp, "q32.safetensors", NetworkSpec.qwnet(), "fp32");
        Path u = file(tmp, "u.safetensors", NetworkSpec.unet(), "fp32");
        Methods.Config config = new Methods.Config(Taa.Settings.DEFAULT, List.of(q4, q32, u));
        try (NetworkReconstructor qwnet = (NetworkReconstructor) Methods.create("qwnet", config);
                NetworkReconstructor fp32 = (NetworkReconstructor) Methods.create("qwnet-fp32", config);
                NetworkReconstructor unet = (NetworkReconstructor) Methods.create("unet", config)) {
            assertTrue(qwnet.description().contains("q4.safetensors"), qwnet.description());
            assertTrue(fp32.description().contains("q32.safetensors"), fp32.description());
            assertTrue(unet.description().contains("u.safetensors"), unet.description());
        }
        // With only one QW-Net file, both QW-Net methods use it.
        try (NetworkReconstructor fp32 = (NetworkReconstructor) Methods.create("qwnet-fp32",
                new Methods.Config(Taa.Settings.DEFAULT, List.of(q4)))) {
            assertTrue(fp32.description().contains("q4.safetensors"), fp32.description());
        }
    }
}
