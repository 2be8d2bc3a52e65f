package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;
import org.reconview.io.SafeTensors;

/** Seeded He-uniform weights, the weights file round trip, and validation messages. */
class WeightsTest {
    @TempDir
    Path tmp;

    private final NetworkSpec qw = NetworkSpec.qwnet();

    @Test
    void randomIsDeterministicPerSeed() {
        Weights a = Weights.random(qw, 7);
        Weights b = Weights.random(qw, 7);
        Weights c = Weights.random(qw, 8);
        assertEquals(a.tensors(), b.tensors());
        assertEquals(qw.weightShapes().keySet(), a.tensors().keySet());
        for (LayerSpec l : qw.layers()) {
            if (l.op().isConv()) {
                String n = l.name() + ".weight";
                assertFalse(Arrays.equals(a.floats(n), c.floats(n)), n + " differs for another seed");
            }
        }
        a.validate(qw);
    }

    @Test
    void heUniformBoundsAndIdentityBatchNorm() {
        Weights w = Weights.random(qw, 1);
        for (LayerSpec l : qw.layers()) {
            if (!l.op().isConv()) {
                continue;
            }
            int k = l.op().kernelSize();
            double bound = Math.sqrt(6.0 / (l.inChannels() * k * k));
            assertEquals(bound, Weights.heUniformBound(l), 1e-12);
            float[] v = w.floats(l.name() + ".weight");
            double max = 0, sum = 0, sq = 0;
            for (float x : v) {
                max = Math.max(max, Math.abs(x));
                sum += x;
                sq += (double) x * x;
            }
            assertTrue(max <= bound, l.name() + ": " + max + " > " + bound);
            if (v.length >= 2000) {
                // Uniform on [-b, b]: max close to b, mean 0, variance b^2 / 3 (= 2 / fan_in, He et al. 2015).
                assertTrue(max > 0.99 * bound, l.name() + " max " + max);
                assertEquals(0, sum / v.length, 0.05 * bound, l.name());
                assertEquals(bound * bound / 3, sq / v.length, 0.1 * bound * bound / 3, l.name());
            }
            if (l.batchNorm()) {
                assertTrue(allEqual(w.floats(l.name() + ".bn.gamma"), 1f));
                assertTrue(allEqual(w.floats(l.name() + ".bn.var"), 1f));
                assertTrue(allEqual(w.floats(l.name() + ".bn.beta"), 0f));
                assertTrue(allEqual(w.floats(l.name() + ".bn.mean"), 0f));
            }
            if (l.bias()) {
                assertTrue(allEqual(w.floats(l.name() + ".bias"), 0f));
            }
        }
        assertEquals((float) Math.log(3), w.floats("fe.dec0.concat.t_u")[0]);
        assertEquals(0f, w.floats("fe.input.t_l")[0]);
    }

    private static boolean allEqual(float[] v, float x) {
        for (float f : v) {
            if (f != x) {
                return false;
            }
        }
        return true;
    }

    @Test
    void fileRoundTripWithMetadata() {
        Path f = tmp.resolve("qw.safetensors");
        Weights w = Weights.random(qw, 3).withMetadata(Map.of("commit", "abc123", "training_data", "scenes a, b"));
        w.write(f);
        Weights r = Weights.load(f, qw);
        assertEquals(w.tensors(), r.tensors());
        assertEquals(w.metadata(), r.metadata());
        assertEquals("qwnet", r.metadata().get("architecture"));
        assertEquals("abc123", r.metadata().get("commit"));
        assertEquals(qw, r.spec());
        assertEquals(f.toString(), r.source());
    }

    private String validationError(Weights w, NetworkSpec spec) {
        Path f = tmp.resolve("bad.safetensors");
        w.write(f);
        UserException e = assertThrows(UserException.class, () -> Weights.load(f, spec));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": "), m);
        assertFalse(m.contains("\n"), m);
        return m;
    }

    @Test
    void validationNamesTheTensorAndTheProblem() {
        Weights w = Weights.random(qw, 3);
        String m = validationError(w.without("fe.enc2.conv1.bn.var"), qw);
        assertTrue(m.contains("missing tensor 'fe.enc2.conv1.bn.var'"), m);
        m = validationError(w.with("fe.extra", SafeTensors.Tensor.ofFloats(new int[] {1}, new float[] {0})), qw);
        assertTrue(m.contains("unknown tensor 'fe.extra'"), m);
        m = validationError(w.with("fe.enc1.conv0.weight",
                SafeTensors.Tensor.ofFloats(new int[] {64, 32, 1, 1}, new float[64 * 32])), qw);
        assertTrue(m.contains("tensor 'fe.enc1.conv0.weight': shape [64, 32, 1, 1], expected [64, 32, 3, 3]"), m);
        m = validationError(w.with("fn.up0.kernels.bias", SafeTensors.Tensor.ofInts(new int[] {10}, new int[10])),
                qw);
        assertTrue(m.contains("tensor 'fn.up0.kernels.bias': dtype I32, expected F32"), m);
        float[] v = w.floats("fe.dec1.conv1.bn.gamma");
        v[5] = Float.NaN;
        m = validationError(w.with("fe.dec1.conv1.bn.gamma", SafeTensors.Tensor.ofFloats(new int[] {64}, v)), qw);
        assertTrue(m.contains("tensor 'fe.dec1.conv1.bn.gamma': NaN at index 5"), m);
        float[] x = w.floats("fe.enc0.conv0.weight");
        x[x.length - 1] = Float.NEGATIVE_INFINITY;
        m = validationError(w.with("fe.enc0.conv0.weight", SafeTensors.Tensor.ofFloats(new int[] {32, 8, 3, 3}, x)),
                qw);
        assertTrue(m.contains("tensor 'fe.enc0.conv0.weight': infinite value -Infinity at index 2303 ([31, 7, 2, 2])"),
                m);
        m = validationError(w, NetworkSpec.qwnetR());
        assertTrue(m.contains("weights for qwnet (metadata), expected qwnet-r"), m);
        m = validationError(Weights.random(NetworkSpec.unet(), 1).withMetadata(Map.of("architecture", "qwnet")), qw);
        assertTrue(m.contains("missing tensors 'fn.in.kernels.weight'"), m);
    }

    @Test
    void truncatedWeightsFile() throws IOException {
        Path f = tmp.resolve("cut.safetensors");
        Weights.random(qw, 3).write(f);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 100));
        UserException e = assertThrows(UserException.class, () -> Weights.load(f, qw));
        assertEquals(f + ": truncated (header says " + b.length + " bytes, file has " + (b.length - 100) + ")",
                e.getMessage());
    }
}
