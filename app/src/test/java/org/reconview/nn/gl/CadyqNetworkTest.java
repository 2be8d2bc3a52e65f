package org.reconview.nn.gl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.nn.BitOps;
import org.reconview.nn.CadyqModel;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.CadyqTestData;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * The whole CADyQ network in GLSL against the golden integer model with mixed widths: the GPU's bit map equals the
 * golden one (the carriers differ only by float rounding of ELU, so a width may flip only at a near-tie), and the
 * output agrees.
 */
class CadyqNetworkTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    @Test
    void bitMapAndOutputEqualTheGoldenModel() {
        NetworkSpec net = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
        CadyqSpec spec = CadyqSpec.of(net, CadyqSpec.DEFAULT_CANDIDATES, 32);
        Weights w = CadyqTestData.mixed(spec, 12);
        Random rnd = new Random(8);
        Tensor ia = QuantizedTestData.image(rnd, 64, 96);
        Tensor iw = QuantizedTestData.image(rnd, 64, 96);
        CadyqModel.Result golden = new CadyqModel(spec, w).runAll(ia, iw);
        try (GpuOps ops = new GpuOps(); CadyqNetwork gpu = new CadyqNetwork(spec, w, ops)) {
            gpu.allocate(64, 96);
            gpu.tensor(NetworkSpec.INPUT_ALIASED).upload(ia.data);
            gpu.tensor(NetworkSpec.INPUT_WARPED).upload(iw.data);
            Tensor out = gpu.run().download();
            Map<String, int[]> map = gpu.bitMap();
            int tiles = 0;
            int same = 0;
            java.util.Set<Integer> widths = new java.util.TreeSet<>();
            for (Map.Entry<String, int[]> e : golden.bits().entrySet()) {
                int[] g = map.get(e.getKey());
                for (int i = 0; i < g.length; i++) {
                    tiles++;
                    same += g[i] == e.getValue()[i] ? 1 : 0;
                    widths.add(e.getValue()[i]);
                }
            }
            assertEquals(3, widths.size(), "all widths in use");
            assertTrue(same >= tiles * 0.98, same + " of " + tiles + " tile widths equal");
            Tensor ref = golden.floats().get(net.output());
            int far = 0;
            for (int i = 0; i < ref.data.length; i++) {
                far += Math.abs(ref.data[i] - out.data[i]) > 1e-3 ? 1 : 0;
            }
            assertTrue(far <= ref.data.length / 100, far + " of " + ref.data.length + " outputs off by > 1e-3");
            BitOps.Frame cost = gpu.cost();
            BitOps.Frame expected = BitOps.frame(BitOps.convs(spec), golden.bits(), 64, 96, 32);
            assertEquals(expected.avgBits(), cost.avgBits(), 0.05, "average bits");
            System.out.printf("CADyQ GLSL vs golden: %d of %d tile widths equal, %d of %d outputs off by > 1e-3,"
                    + " avg bits %.3f%n", same, tiles, far, ref.data.length, cost.avgBits());
        }
    }
}
