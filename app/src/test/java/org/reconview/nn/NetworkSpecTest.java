package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.reconview.nn.LayerSpec.Activation;
import org.reconview.nn.LayerSpec.Op;
import org.reconview.nn.NetworkSpec.FilterKind;
import org.reconview.nn.NetworkSpec.FilterStage;
import org.reconview.nn.NetworkSpec.Precision;
import org.reconview.nn.NetworkSpec.TensorSpec;

/** The network description: channel and scale bookkeeping, precisions, shared ranges, parameter counts. */
class NetworkSpecTest {
    private static final List<NetworkSpec> ALL = List.of(NetworkSpec.unet(), NetworkSpec.qwnet(),
            NetworkSpec.qwnetR());

    @Test
    void everyLayerReadsExistingTensorsWithTheChannelsItExpects() {
        for (NetworkSpec s : ALL) {
            Map<String, TensorSpec> known = new HashMap<>();
            known.put("i_a", new TensorSpec("i_a", 3, 0, Precision.FP32, null));
            known.put("i_w", new TensorSpec("i_w", 3, 0, Precision.FP32, null));
            Set<String> consumed = new HashSet<>();
            for (LayerSpec l : s.layers()) {
                String where = s.variant() + " " + l.name();
                for (String in : l.inputs()) {
                    assertTrue(known.containsKey(in), where + " reads undefined " + in);
                    consumed.add(in);
                }
                TensorSpec first = known.get(l.inputs().get(0));
                switch (l.op()) {
                    case CONV3X3, CONV1X1 -> {
                        assertEquals(1, l.inputs().size(), where);
                        assertEquals(first.channels(), l.inChannels(), where);
                        assertEquals(first.scale(), l.scale(), where);
                    }
                    case CONCAT -> {
                        int sum = 0;
                        for (String in : l.inputs()) {
                            sum += known.get(in).channels();
                            assertEquals(l.scale(), known.get(in).scale(), where);
                        }
                        assertEquals(sum, l.inChannels(), where);
                        assertEquals(sum, l.outChannels(), where);
                    }
                    case MAXPOOL2, AVGPOOL2 -> {
                        assertEquals(first.scale() + 1, l.scale(), where);
                        assertEquals(first.channels(), l.outChannels(), where);
                    }
                    case UPSAMPLE_NEAREST2, UPSAMPLE_BILINEAR2 -> {
                        assertEquals(first.scale() - 1, l.scale(), where);
                        assertEquals(first.channels(), l.outChannels(), where);
                    }
                    case GRADIENT_MAGNITUDE -> {
                        assertEquals(3, first.channels(), where);
                        assertEquals(1, l.outChannels(), where);
                    }
                    case KERNEL_FILTER -> {
                        int images = l.inputs().size() - 1;
                        for (String in : l.inputs().subList(1, l.inputs().size())) {
                            assertEquals(3, known.get(in).channels(), where);
                        }
                        // 9 weights per filtered image; an up filter has one more for its skip.
                        boolean up = l.name().startsWith("fn.up");
                        assertEquals(up ? 10 : 9 * images, first.channels(), where);
                        for (String in : l.inputs()) {
                            assertEquals(l.scale(), known.get(in).scale(), where);
                        }
                    }
                    default -> fail("unexpected op " + l.op());
                }
                known.put(l.name(), s.tensor(l.name()));
                assertEquals(l.outChannels(), s.tensor(l.name()).channels());
            }
            // Nothing computed is thrown away, and the output is RGB at full resolution.
            for (LayerSpec l : s.layers()) {
                if (!l.name().equals(s.output())) {
                    assertTrue(consumed.contains(l.name()), s.variant() + ": " + l.name() + " is never used");
                }
            }
            assertEquals(3, s.tensor(s.output()).channels());
            assertEquals(0, s.tensor(s.output()).scale());
        }
    }

    @Test
    void featureExtractorFollowsThePaper() {
        NetworkSpec s = NetworkSpec.qwnet();
        assertEquals(List.of(32, 64, 96, 128, 160), List.of(s.channels(0), s.channels(1), s.channels(2),
                s.channels(3), s.channels(4)));
        assertEquals(8, s.layer("fe.enc0.conv0").inChannels());
        assertEquals(List.of("i_a", "i_w", "fe.grad_a", "fe.grad_w"), s.layer("fe.input").inputs());
        int convs = 0;
        for (LayerSpec l : s.layers()) {
            if (l.name().startsWith("fe.") && l.op().isConv()) {
                convs++;
                assertTrue(l.batchNorm(), l.name());
                assertFalse(l.bias(), l.name());
                assertEquals(Activation.ELU, l.activation(), l.name());
            }
        }
        assertEquals(2 * 4 + 2 + 2 * 4, convs, "two convs per encoder block and bottleneck, two per decoder");
        // Decoder: concat [upsampled, skip], 1x1 back to the encoder width, one 3x3.
        assertEquals(List.of("fe.dec3.up", "fe.enc3.conv1"), s.layer("fe.dec3.concat").inputs());
        assertEquals(160 + 128, s.layer("fe.dec3.concat").outChannels());
        assertEquals(Op.CONV1X1, s.layer("fe.dec3.conv0").op());
        assertEquals(128, s.layer("fe.dec3.conv0").outChannels());
        assertEquals(List.of("fe.dec1.conv1"), s.layer("fe.dec0.up").inputs());
        assertEquals(Op.MAXPOOL2, s.layer("fe.enc2.pool").op());
        assertEquals(4, s.layer("fe.bottleneck.conv1").scale());
    }

    @Test
    void filterNetworkStages() {
        NetworkSpec s = NetworkSpec.qwnet();
        List<FilterStage> st = s.filterStages();
        assertEquals(List.of("fn.in", "fn.down1", "fn.down2", "fn.down3", "fn.bottleneck", "fn.up3", "fn.up2",
                "fn.up1", "fn.up0"), st.stream().map(FilterStage::name).toList());
        FilterStage in = st.get(0);
        assertEquals(FilterKind.INPUT, in.kind());
        assertEquals(18, in.kernelWeights());
        assertEquals(List.of("i_a", "i_w"), in.images());
        assertEquals("fn.in.pool", in.pooledOutput());
        for (FilterStage f : st) {
            LayerSpec kp = s.layer(f.kernels());
            // Kernels predicted from the decoder output at the filter's own scale, by a 1x1 conv with softmax.
            assertEquals(List.of(NetworkSpec.decoderOutput(f.scale())), kp.inputs(), f.name());
            assertEquals(Op.CONV1X1, kp.op());
            assertEquals(Activation.SOFTMAX, kp.activation());
            assertEquals(Precision.INT8, kp.weightPrecision());
            assertEquals(Precision.FP32, kp.outputPrecision());
            if (f.kind() == FilterKind.UP) {
                assertEquals(10, f.kernelWeights());
                String side = f.scale() == 0 ? "fn.in" : "fn.down" + f.scale();
                assertEquals(side, f.skip(), "skip from the same scale's downsampling side");
                assertEquals(Op.UPSAMPLE_BILINEAR2, s.layer(f.upsampled()).op());
            } else if (f.kind() != FilterKind.INPUT) {
                assertEquals(9, f.kernelWeights());
            }
        }
        assertEquals(4, s.layer("fn.bottleneck").scale());
        assertEquals("fn.up0", s.output());
        assertEquals(Op.AVGPOOL2, s.layer("fn.down3.pool").op());
    }

    @Test
    void filterKindsAreDeclaredAndMatchTheirKernels() {
        NetworkSpec s = NetworkSpec.qwnet();
        Map<String, FilterKind> kinds = new HashMap<>();
        for (LayerSpec l : s.layers()) {
            if (l.op() == Op.KERNEL_FILTER) {
                FilterKind k = s.filterKind(l);
                kinds.put(l.name(), k);
                assertEquals(k.weights(), s.tensor(l.inputs().get(0)).channels(), l.name() + ": kernel weights");
                assertEquals(1 + k.images() + (k.skip() ? 1 : 0), l.inputs().size(), l.name() + ": inputs");
            }
        }
        assertEquals(FilterKind.INPUT, kinds.get("fn.in"));
        assertEquals(FilterKind.DOWN, kinds.get("fn.down1"));
        assertEquals(FilterKind.BOTTLENECK, kinds.get("fn.bottleneck"));
        assertEquals(FilterKind.UP, kinds.get("fn.up0"));
        assertEquals(List.of(18, 9, 9, 10), List.of(FilterKind.INPUT.weights(), FilterKind.DOWN.weights(),
                FilterKind.BOTTLENECK.weights(), FilterKind.UP.weights()));
        assertThrows(IllegalArgumentException.class, () -> s.filterKind(s.layer("fe.enc0.conv0")));
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.unet().filterKind(s.layer("fn.in")));
    }

    @Test
    void precisionsAndSharedRanges() {
        NetworkSpec q = NetworkSpec.qwnet();
        assertEquals(Precision.INT8, q.layer("fe.enc0.conv0").weightPrecision());
        assertEquals(Precision.INT8, q.tensor("fe.input").precision(), "8-bit inputs");
        assertEquals(Precision.INT4, q.tensor("fe.enc0.conv0").precision(), "4-bit output of the input conv");
        for (LayerSpec l : q.layers()) {
            if (l.name().startsWith("fe.") && l.op().isConv() && !l.name().equals("fe.enc0.conv0")) {
                assertEquals(Precision.INT4, l.weightPrecision(), l.name());
                assertEquals(Precision.INT4, l.outputPrecision(), l.name());
            }
            if (l.name().startsWith("fn.") && !l.op().isConv()) {
                assertEquals(Precision.FP32, l.compute(), l.name());
                assertEquals(Precision.FP32, l.outputPrecision(), l.name());
            }
            if (l.op() == Op.CONCAT && !l.name().equals("fe.input")) {
                for (String in : l.inputs()) {
                    assertEquals(l.range(), q.tensor(in).range(), "concatenated tensors share a range: " + in);
                }
            }
        }
        // The encoder's second conv and the conv upsampled into the same decoder concat share a range.
        assertEquals(q.tensor("fe.enc2.conv1").range(), q.tensor("fe.dec3.conv1").range());
        assertEquals(q.tensor("fe.enc3.conv1").range(), q.tensor("fe.bottleneck.conv1").range());
        assertEquals(15, q.quantRanges().size());
        assertEquals(Precision.INT8, q.rangePrecision("fe.input"));
        NetworkSpec u = NetworkSpec.unet();
        assertTrue(u.quantRanges().isEmpty());
        for (LayerSpec l : u.layers()) {
            assertEquals(Precision.FP32, l.compute(), l.name());
            assertEquals(Precision.FP32, l.outputPrecision(), l.name());
        }
        assertEquals(List.of("fe.dec0.conv1"), u.layer("out").inputs());
        assertTrue(u.layer("out").bias());
    }

    @Test
    void reducedVariantDiffersOnlyInWidths() {
        NetworkSpec a = NetworkSpec.qwnet();
        NetworkSpec b = NetworkSpec.qwnetR();
        assertEquals(a.layers().size(), b.layers().size());
        for (int i = 0; i < a.layers().size(); i++) {
            LayerSpec x = a.layers().get(i);
            LayerSpec y = b.layers().get(i);
            LayerSpec yWithXChannels = new LayerSpec(y.name(), y.op(), y.inputs(), x.inChannels(), x.outChannels(),
                    y.scale(), y.activation(), y.batchNorm(), y.bias(), y.weightPrecision(), y.compute(),
                    y.outputPrecision(), y.range(), y.stage());
            assertEquals(x, yWithXChannels, x.name());
            // Feature-extractor widths are 3/4 of QW-Net's where they derive from the widths.
            if (x.name().startsWith("fe.") && x.op().isConv()) {
                assertEquals(x.outChannels() * 3 / 4, y.outChannels(), x.name());
            }
        }
        assertEquals(List.of(24, 48, 72, 96, 120), List.of(b.channels(0), b.channels(1), b.channels(2),
                b.channels(3), b.channels(4)));
        assertEquals("qwnet-r", b.variant());
        assertEquals(b, NetworkSpec.byVariant("qwnet-r"));
        assertEquals(b, NetworkSpec.fromMetadata(b.metadata()));
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.byVariant("qwnet-q"));
    }

    /** 3x3 conv with BN: 9*in*out weights + 4*out BN values. */
    private static long c3(int in, int out) {
        return 9L * in * out + 4L * out;
    }

    /** 1x1 conv with BN. */
    private static long c1(int in, int out) {
        return (long) in * out + 4L * out;
    }

    /** 1x1 conv with bias, no BN (kernel prediction, U-Net output). */
    private static long c1b(int in, int out) {
        return (long) in * out + out;
    }

    @Test
    void parameterCountsFromTheArchitectureText() {
        // Written out from the paper's text (section 3), not from NetworkSpec's code.
        long fe = c3(8, 32) + c3(32, 32) + c3(32, 64) + c3(64, 64) + c3(64, 96) + c3(96, 96) + c3(96, 128)
                + c3(128, 128) + c3(128, 160) + c3(160, 160)
                + c1(160 + 128, 128) + c3(128, 128) + c1(128 + 96, 96) + c3(96, 96) + c1(96 + 64, 64) + c3(64, 64)
                + c1(64 + 32, 32) + c3(32, 32);
        long unet = fe + c1b(32, 3);
        // Kernel prediction: scale 0: 18 (input) and 10 (up); scales 1-3: 9 (down) and 10 (up); scale 4: 9.
        long kp = c1b(32, 18) + c1b(32, 10) + c1b(64, 9) + c1b(64, 10) + c1b(96, 9) + c1b(96, 10) + c1b(128, 9)
                + c1b(128, 10) + c1b(160, 9);
        // Activation ranges: the input, the 4 encoder first convs and the bottleneck's, the 4 shared concat ranges,
        // the 4 decoder 1x1 convs, and the last decoder conv: 15, two thresholds each.
        long thresholds = 2 * 15;
        assertEquals(unet, NetworkSpec.unet().parameterCount());
        assertEquals(fe + kp + thresholds, NetworkSpec.qwnet().parameterCount());
        assertEquals(1_232_384L, fe, "feature extractor parameters, worked out by hand");
    }

    @Test
    void weightShapesAreOihwAndNamed() {
        NetworkSpec q = NetworkSpec.qwnet();
        Map<String, int[]> w = q.weightShapes();
        assertArrayEquals(new int[] {64, 32, 3, 3}, w.get("fe.enc1.conv0.weight"));
        assertArrayEquals(new int[] {128, 288, 1, 1}, w.get("fe.dec3.conv0.weight"));
        assertArrayEquals(new int[] {64}, w.get("fe.enc1.conv0.bn.var"));
        assertArrayEquals(new int[] {18}, w.get("fn.in.kernels.bias"));
        assertArrayEquals(new int[] {1}, w.get("fe.dec0.concat.t_u"));
        assertNull(w.get("fe.enc1.conv0.bias"), "BN convs have no bias");
        assertNull(NetworkSpec.unet().weightShapes().get("fe.input.t_l"));
    }
}
