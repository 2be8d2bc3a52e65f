package org.reconview.nn.gl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.gl.StorageBuffer;
import org.reconview.nn.CadyqModel;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.CadyqTestData;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Tensor;

/**
 * Every selected conv of a CADyQ network in GLSL against the golden integer model, tiles of mixed widths at every
 * scale (2x2-pixel tiles at the bottleneck): accumulators exactly equal, the ELU outputs to float rounding.
 */
class CadyqConvPassTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    @Test
    void mixedWidthConvsEqualTheGoldenModel() {
        mixedWidthConvsEqualTheGoldenModel(false);
    }

    /** The SSBO-input variant, used when the codes exceed GL_MAX_TEXTURE_BUFFER_SIZE, forced at a small size. */
    @Test
    void mixedWidthConvsWithSsboInputEqualTheGoldenModel() {
        mixedWidthConvsEqualTheGoldenModel(true);
    }

    void mixedWidthConvsEqualTheGoldenModel(boolean ssboInput) {
        NetworkSpec net = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
        CadyqSpec spec = CadyqSpec.of(net, CadyqSpec.DEFAULT_CANDIDATES, 32);
        CadyqModel model = new CadyqModel(spec, CadyqTestData.mixed(spec, 9));
        Random rnd = new Random(4);
        CadyqModel.Result r = model.runAll(QuantizedTestData.image(rnd, 64, 96), QuantizedTestData.image(rnd, 64, 96));
        int mixed = 0;
        for (LayerSpec l : spec.selected()) {
            int h = r.height() >> l.scale();
            int w = r.width() >> l.scale();
            int[] bits = r.bits().get(l.name());
            TreeSet<Integer> widths = new TreeSet<>();
            float[] bitWords = new float[bits.length];
            for (int i = 0; i < bits.length; i++) {
                widths.add(bits[i]);
                bitWords[i] = Float.intBitsToFloat(bits[i]);
            }
            mixed += widths.size() > 1 ? 1 : 0;
            int n = l.outChannels() * h * w;
            Tensor in = r.floats().get(l.inputs().get(0));
            try (CadyqConvPass pass = CadyqConvPass.selected(model, l); GpuTensor gin = GpuTensor.of(in);
                 GpuTensor gout = new GpuTensor(l.outChannels(), h, w); StorageBuffer b = new StorageBuffer(bitWords);
                 StorageBuffer acc = new StorageBuffer(new float[n])) {
                pass.forceSsboInput = ssboInput;
                pass.run(gin, b, spec.tile(l.scale()), r.tilesX(), gout, acc);
                float[] a = acc.read(n);
                int[] golden = r.accumulators().get(l.name());
                Tensor out = gout.download();
                Tensor ref = r.floats().get(l.name());
                for (int i = 0; i < n; i++) {
                    assertEquals(golden[i], Float.floatToRawIntBits(a[i]), l.name() + " accumulator " + i);
                    assertEquals(ref.data[i], out.data[i], 2e-6 * Math.max(1, Math.abs(ref.data[i])), l.name());
                }
            }
        }
        assertTrue(mixed >= 3, mixed + " convs with tiles of different widths");
    }
}
