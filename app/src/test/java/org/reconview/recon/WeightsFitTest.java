package org.reconview.recon;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;
import org.reconview.cli.Main;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;

/** A weights file runs only the methods it fits; where --weights is given, random weights never run. */
class WeightsFitTest {
    @TempDir
    Path tmp;

    Path file(NetworkSpec spec, String name) {
        Path f = tmp.resolve(name);
        Weights.random(spec, 3).write(f);
        return f;
    }

    @Test
    void aFileThatFitsNoMethodIsRefusedNamingBoth() {
        Path unet = file(NetworkSpec.unet(), "u.safetensors");
        UserException e = assertThrows(UserException.class,
                () -> Methods.weightsFor(List.of("taa", "qwnet"), List.of(unet)));
        assertTrue(e.getMessage().contains("u.safetensors") && e.getMessage().contains("unet weights")
                && e.getMessage().contains("qwnet"), e.getMessage());
        // Through eval: one line, exit 2, before any rendering.
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "eval", "--scene", "garden",
                "--size", "16x16", "--frames", "2", "--methods", "qwnet", "--weights", unet.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(2, code, err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void givenFilesOverrideTheShippedModelOfTheirArchitectureOnly() {
        Path q = file(NetworkSpec.qwnet(), "q.safetensors");
        List<Path> used = Methods.weightsFor(List.of("unet", "qwnet", "qwnet-fp32"), List.of(q));
        assertEquals(q, used.get(0));
        for (Path p : used.subList(1, used.size())) {
            assertEquals(NetworkSpec.Kind.UNET, Weights.read(p).spec().kind(), "only the U-Net comes from " + p);
        }
        assertEquals(Methods.shippedModels().stream().filter(p -> Weights.read(p).spec().kind()
                == NetworkSpec.Kind.UNET).count() + 1, used.size());
    }

    @Test
    void metadataThatContradictsTheTensorsIsRefused() {
        Weights w = Weights.random(NetworkSpec.qwnet(), 1);
        Map<String, String> meta = new java.util.LinkedHashMap<>(w.metadata());
        meta.putAll(NetworkSpec.qwnetR().metadata());
        Path f = tmp.resolve("lying.safetensors");
        new Weights(w.tensors(), meta, "x").write(f);
        UserException e = assertThrows(UserException.class, () -> Methods.weightsFor(List.of("qwnet"), List.of(f)));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("expected"), e.getMessage());
    }
}
