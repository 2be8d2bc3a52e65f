package org.reconview.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * BitOPs and average activation bits, the cost measures of CADyQ (Hong et al. 2022): BitOPs = the sum over convs of
 * MACs x weight bits x activation bits; a conv at scale s over an H x W frame has (H / 2^s)(W / 2^s) k^2 C_in C_out
 * MACs. Activation bits are those of the tensor the conv reads (8 for QW-Net's input conv, 4 for its other convs and
 * the kernel-prediction convs, 32 for FP32 layers); with CADyQ, a selected conv's tile counts its own width.
 * Average bits are taken over the selected convs only (the ones whose width can change; all 4 for fixed QW-Net), two
 * ways: {@code avg_bits}, weighted by MACs (a tile's MACs are its pixels at the conv's scale times k^2 C_in C_out),
 * and {@code avg_bits_plain}, the plain mean over every (conv, tile) pair.
 */
public final class BitOps {

    /**
     * One conv's cost: MACs per output pixel (k^2 C_in C_out), its scale, weight and activation bits, and whether
     * a selector chooses its activation width per tile.
     */
    public record Conv(String name, long macsPerOutput, int scale, int weightBits, int activationBits,
                       boolean selected) {
    }

    /** One frame: BitOPs in total, the two averages, and each selected conv's tile count per width. */
    public record Frame(double bitops, double avgBits, double avgBitsPlain, Map<String, Map<Integer, Integer>> tiles) {
    }

    private BitOps() {
    }

    /** The convs of a spec with their fixed widths (none selected). */
    public static List<Conv> convs(NetworkSpec spec) {
        return convs(spec, 0);
    }

    /**
     * The convs of a spec with the convs CADyQ would select ({@link CadyqSpec#selectable}) reading
     * {@code selectableBits}-bit activations instead of their own 4 (0: their own): fixed 2-, 3- or 8-bit QW-Net.
     */
    public static List<Conv> convs(NetworkSpec spec, int selectableBits) {
        List<Conv> out = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            if (l.op().isConv()) {
                int k = l.op().kernelSize();
                int bits = selectableBits > 0 && CadyqSpec.selectable(l) ? selectableBits
                        : spec.tensor(l.inputs().get(0)).precision().bits();
                out.add(new Conv(l.name(), (long) k * k * l.inChannels() * l.outChannels(), l.scale(),
                        l.weightPrecision().bits(), bits, false));
            }
        }
        return out;
    }

    /** The convs of a CADyQ spec: as QW-Net's, with the selected ones marked. */
    public static List<Conv> convs(CadyqSpec spec) {
        List<Conv> out = new ArrayList<>();
        for (Conv c : convs(spec.base())) {
            out.add(new Conv(c.name(), c.macsPerOutput(), c.scale(), c.weightBits(), c.activationBits(),
                    spec.isSelected(c.name())));
        }
        return out;
    }

    /** BitOPs per full-resolution pixel at fixed widths: sum of MACs / 4^s x weight bits x activation bits. */
    public static double perPixel(List<Conv> convs) {
        double s = 0;
        for (Conv c : convs) {
            s += (double) c.macsPerOutput() / (1L << (2 * c.scale())) * c.weightBits() * c.activationBits();
        }
        return s;
    }

    /**
     * One frame of {@code height x width} pixels in tiles of {@code tile} (full resolution; {@code tile >> s} at scale
     * s): every unselected conv at its fixed width, every selected conv at the widths of {@code bits} (its tiles,
     * row-major, {@code (height / tile) * (width / tile)} of them). A selected conv missing from {@code bits} is an
     * error.
     */
    public static Frame frame(List<Conv> convs, Map<String, int[]> bits, int height, int width, int tile) {
        if (tile <= 0 || height % tile != 0 || width % tile != 0) {
            throw new IllegalArgumentException(width + "x" + height + " is not a whole number of " + tile + " tiles");
        }
        int tiles = (height / tile) * (width / tile);
        double bitops = 0;
        double weightedBits = 0;
        double weight = 0;
        long bitSum = 0;
        long pairs = 0;
        Map<String, Map<Integer, Integer>> hist = new LinkedHashMap<>();
        for (Conv c : convs) {
            double outputs = (double) (height >> c.scale()) * (width >> c.scale());
            if (!c.selected()) {
                bitops += outputs * c.macsPerOutput() * c.weightBits() * c.activationBits();
                continue;
            }
            int[] b = bits.get(c.name());
            if (b == null || b.length != tiles) {
                throw new IllegalArgumentException("conv " + c.name() + ": " + (b == null ? "no" : b.length)
                        + " tile widths, expected " + tiles);
            }
            double tileMacs = outputs / tiles * c.macsPerOutput();
            Map<Integer, Integer> h = new TreeMap<>();
            for (int w : b) {
                bitops += tileMacs * c.weightBits() * w;
                weightedBits += tileMacs * w;
                weight += tileMacs;
                bitSum += w;
                pairs++;
                h.merge(w, 1, Integer::sum);
            }
            hist.put(c.name(), h);
        }
        double avg = weight > 0 ? weightedBits / weight : Double.NaN;
        double plain = pairs > 0 ? (double) bitSum / pairs : Double.NaN;
        return new Frame(bitops, avg, plain, hist);
    }

    /**
     * A frame of a network run entirely in FP32 (U-Net, QW-Net's FP32 feature extractor): every conv 32 x 32 bits;
     * average bits 32.
     */
    public static Frame fp32(NetworkSpec spec, int height, int width) {
        double s = 0;
        for (Conv c : convs(spec)) {
            s += (double) c.macsPerOutput() / (1L << (2 * c.scale())) * 32 * 32;
        }
        return new Frame(s * height * width, 32, 32, Map.of());
    }

    /**
     * A frame at fixed widths (QW-Net INT4, U-Net FP32): BitOPs of {@link #perPixel} times the pixels; average bits
     * over the convs that CADyQ would select (the 4-bit-weight convs of the encoder, bottleneck and decoder; for a
     * spec without them, NaN).
     */
    public static Frame fixed(NetworkSpec spec, int height, int width) {
        double weighted = 0;
        double weight = 0;
        long sum = 0;
        long n = 0;
        for (LayerSpec l : spec.layers()) {
            if (CadyqSpec.selectable(l)) {
                int bits = spec.tensor(l.inputs().get(0)).precision().bits();
                double macs = l.weightCount() * l.pixelFraction();
                weighted += macs * bits;
                weight += macs;
                sum += bits;
                n++;
            }
        }
        return new Frame(perPixel(convs(spec)) * height * width, weight > 0 ? weighted / weight : Double.NaN,
                n > 0 ? (double) sum / n : Double.NaN, Map.of());
    }
}
