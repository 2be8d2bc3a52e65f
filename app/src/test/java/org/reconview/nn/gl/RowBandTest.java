package org.reconview.nn.gl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.CadyqTestData;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * Convolutions cut into row bands (what the viewer's time-sliced steps run) give bit for bit the tensors of the
 * whole dispatches, for each GLSL network path, and the bands tile the rows.
 */
class RowBandTest {
    static GpuOps ops;

    @BeforeAll
    static void gl() {
        GlTest.context();
        ops = new GpuOps();
    }

    @AfterAll
    static void close() {
        ops.close();
        GlTest.context();
    }

    @Test
    void bandsCoverEveryRowOnceOnWorkgroupEdges() {
        for (int h : new int[] {1, 7, 8, 9, 40, 100, 256}) {
            for (int n : new int[] {1, 2, 3, 5, 64}) {
                List<RowBand> bands = RowBand.split(h, n);
                int next = 0;
                for (RowBand b : bands) {
                    assertEquals(next, b.start(), h + "/" + n);
                    assertEquals(0, b.start() % RowBand.GROUP);
                    next += b.rows();
                }
                assertEquals(h, next, h + "/" + n);
                assertTrue(bands.size() <= Math.max(1, n), h + "/" + n + ": " + bands.size());
            }
        }
        assertEquals(8, RowBand.forWork(64, 64, 1000, 1000L * 64 * 8).size(), "one band per 8 rows of work");
        assertEquals(1, RowBand.forWork(64, 64, 1000, Long.MAX_VALUE).size());
        assertThrows(IllegalArgumentException.class, () -> new RowBand(4, 8));
    }

    /** Runs the whole network, then the banded steps on zeroed tensors, and compares every tensor named. */
    static void sameTensors(InferenceNetwork net, int h, int w, List<String> names, long seed) {
        Random rnd = new Random(seed);
        Tensor ia = QuantizedTestData.image(rnd, h, w);
        Tensor iw = QuantizedTestData.image(rnd, h, w);
        net.allocate(h, w);
        net.tensor(NetworkSpec.INPUT_ALIASED).upload(ia.data);
        net.tensor(NetworkSpec.INPUT_WARPED).upload(iw.data);
        net.run();
        float[][] whole = new float[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            whole[i] = net.tensor(names.get(i)).download().data;
            net.tensor(names.get(i)).upload(new float[whole[i].length]);
        }
        List<Runnable> steps = net.steps(20_000);
        assertTrue(steps.size() > net.steps().size() + 10, "the convs were cut: " + steps.size() + " steps against "
                + net.steps().size());
        steps.forEach(Runnable::run);
        for (int i = 0; i < names.size(); i++) {
            assertArrayEquals(whole[i], net.tensor(names.get(i)).download().data, names.get(i));
        }
    }

    /** Names of the spec's layers with FP32 tensors in {@code net} (QW-Net's INT4 path keeps codes for the rest). */
    static List<String> floatLayers(NetworkSpec spec, Function<String, GpuTensor> tensor) {
        return spec.layers().stream().map(l -> l.name()).filter(n -> tensor.apply(n) != null).toList();
    }

    @Test
    void bandedFp32NetworksEqualTheWholeDispatches() {
        for (NetworkSpec spec : new NetworkSpec[] {NetworkSpec.unet(), NetworkSpec.qwnet()}) {
            try (GpuNetwork net = new GpuNetwork(spec, Weights.random(spec, 3), ops)) {
                net.allocate(48, 80);
                sameTensors(net, 48, 80, floatLayers(spec, net::tensor), 4);
            }
        }
    }

    @Test
    void bandedInt4NetworkEqualsTheWholeDispatches() {
        NetworkSpec spec = NetworkSpec.qwnet();
        try (Int4Network net = new Int4Network(new QuantizedModel(spec, QuantizedTestData.weights(spec, 5)), ops)) {
            net.allocate(48, 80);
            List<String> names = floatLayers(spec, net::tensor);
            assertTrue(names.contains(spec.output()) && names.size() > 3, names.toString());
            List<String> coded = spec.layers().stream().map(l -> l.name()).filter(n -> net.codes(n) != null)
                    .filter(n -> spec.layer(n).op().isConv()).toList();
            assertTrue(coded.size() > 10, coded.toString());
            sameTensors(net, 48, 80, names, 6);
            int[][] banded = coded.stream().map(n -> net.codes(n).downloadCodes()).toArray(int[][]::new);
            net.run();
            for (int i = 0; i < coded.size(); i++) {
                assertArrayEquals(net.codes(coded.get(i)).downloadCodes(), banded[i], coded.get(i) + " codes");
            }
        }
    }

    @Test
    void bandedCadyqNetworkEqualsTheWholeDispatches() {
        NetworkSpec base = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
        CadyqSpec spec = CadyqSpec.of(base, CadyqSpec.DEFAULT_CANDIDATES, 32);
        try (CadyqNetwork net = new CadyqNetwork(spec, CadyqTestData.mixed(spec, 7), ops)) {
            net.allocate(64, 96);
            sameTensors(net, 64, 96, floatLayers(base, net::tensor), 8);
        }
    }
}
