package org.reconview.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.reconview.nn.LayerSpec.Stage;
import org.reconview.nn.NetworkSpec.Precision;

/**
 * CADyQ (Hong et al., ECCV 2022) on QW-Net's feature extractor: a bit selector in front of every 4-bit conv picks, per
 * tile and per layer, the bit width of that conv's input activations from a small candidate set.
 *
 * <p><b>Which convs.</b> Every conv with 4-bit weights: the encoder's, the bottleneck's and the decoder's (95% of the
 * MACs, Table 1). Not the 8-bit input conv: it reads the image itself (I_a, I_w and their gradients), where 8 bits are
 * already the paper's choice for dynamic range, and it is 3% of the MACs. Not the kernel-prediction convs: their
 * FP32 outputs become filter weights directly, they are 2% of the MACs, and they read the decoder outputs at the fixed
 * 4 bits of those tensors' ranges.
 *
 * <p><b>Tiles.</b> Square tiles of {@link #tile()} pixels at full resolution, {@code tile >> s} at scale s, so a tile
 * covers the same image region at every scale and the bit map of every layer lies on one grid. The default 32 is the
 * smallest power of two that still holds 2x2 pixels at the bottleneck (scale 4): the selector's per-channel standard
 * deviation is never taken over a single pixel. Images must be multiples of the tile (the reconstructor pads).
 *
 * <p><b>Selector.</b> For conv L with C input channels, features f = [mean |d/dx|, mean |d/dy| of the Rec. 709 luma of
 * I_a over the tile (central differences, as {@code fe.grad_a}), then the population standard deviation of each of
 * L's C input channels over the tile] (C + 2 values), logits = W f + b with {@code L.selector.weight} [K][C + 2] and
 * {@code L.selector.bias} [K], K = the number of candidates; the tile's width is the candidate of the largest logit
 * (ties go to the wider one).
 *
 * <p><b>Quantization.</b> Each candidate width b has its own trained thresholds for every range a selected conv reads,
 * {@code RANGE.bB.t_l} and {@code RANGE.bB.t_u} (l = -e^t_l, u = e^t_u as for QW-Net); the plain {@code RANGE.t_l},
 * {@code RANGE.t_u} stay for the fixed-width readers (the input conv's 8-bit input, the kernel-prediction convs). An
 * output tile of width b reads all its taps, its 1-pixel halo in neighbouring tiles included, quantized with the
 * b-bit quantizer: every output pixel has one (s, z), so y = alpha_b acc + c_b with an exact int32 accumulator.
 *
 * <p><b>File.</b> A QW-Net weights file plus the selector and threshold tensors above, with metadata
 * {@code cadyq_candidates} (e.g. {@code 2,4,8}) and {@code cadyq_tile}.
 */
public final class CadyqSpec {
    public static final List<Integer> DEFAULT_CANDIDATES = List.of(2, 4, 8);
    public static final int DEFAULT_TILE = 32;
    /** Narrowest width a candidate may have (a 1-bit affine grid cannot hold zero and one other level usefully). */
    public static final int MIN_BITS = 2;
    /** Widest width a candidate may have: 8-bit codes with 4-bit weights keep every accumulator far inside int32. */
    public static final int MAX_BITS = 8;
    /** Gradient features ahead of the per-channel standard deviations. */
    public static final int GRADIENT_FEATURES = 2;
    public static final String META_CANDIDATES = "cadyq_candidates";
    public static final String META_TILE = "cadyq_tile";

    private final NetworkSpec base;
    private final List<Integer> candidates;
    private final int tile;
    private final List<LayerSpec> selected;

    private CadyqSpec(NetworkSpec base, List<Integer> candidates, int tile) {
        this.base = base;
        this.candidates = List.copyOf(candidates);
        this.tile = tile;
        List<LayerSpec> s = new ArrayList<>();
        for (LayerSpec l : base.layers()) {
            if (selectable(l)) {
                s.add(l);
            }
        }
        this.selected = List.copyOf(s);
    }

    /**
     * CADyQ on a QW-Net spec.
     *
     * @throws IllegalArgumentException for a U-Net base, a candidate set the network cannot run (fewer than two,
     *                                  repeated or unsorted widths, a width outside [2, 8]) or a tile that is not a
     *                                  power of two holding 2x2 pixels at the coarsest scale
     */
    public static CadyqSpec of(NetworkSpec base, List<Integer> candidates, int tile) {
        if (base.kind() != NetworkSpec.Kind.QWNET) {
            throw new IllegalArgumentException("CADyQ needs a QW-Net, not " + base.variant());
        }
        checkCandidates(candidates);
        int coarsest = NetworkSpec.LEVELS - 1;
        if (tile <= 0 || Integer.bitCount(tile) != 1 || (tile >> coarsest) < 2) {
            throw new IllegalArgumentException("CADyQ tile " + tile + " must be a power of two of at least "
                    + (2 << coarsest) + " (2x2 pixels at scale " + coarsest + ")");
        }
        return new CadyqSpec(base, candidates, tile);
    }

    /** QW-Net with {@link #DEFAULT_CANDIDATES} and {@link #DEFAULT_TILE}. */
    public static CadyqSpec qwnet() {
        return of(NetworkSpec.qwnet(), DEFAULT_CANDIDATES, DEFAULT_TILE);
    }

    private static void checkCandidates(List<Integer> c) {
        if (c == null || c.size() < 2) {
            throw new IllegalArgumentException("CADyQ needs at least two candidate bit widths, got " + c);
        }
        for (int i = 0; i < c.size(); i++) {
            int b = c.get(i);
            if (b < MIN_BITS || b > MAX_BITS) {
                throw new IllegalArgumentException("CADyQ candidate width " + b + " outside [" + MIN_BITS + ", "
                        + MAX_BITS + "] (candidates " + c + ")");
            }
            if (i > 0 && b <= c.get(i - 1)) {
                throw new IllegalArgumentException("CADyQ candidate widths must be distinct and ascending, got " + c);
            }
        }
    }

    /** Whether CADyQ puts a selector before a layer: the 4-bit-weight convs of encoder, bottleneck and decoder. */
    public static boolean selectable(LayerSpec l) {
        return l.op().isConv() && l.weightPrecision() == Precision.INT4
                && (l.stage() == Stage.ENCODER || l.stage() == Stage.DECODER);
    }

    /** Whether a weights file's metadata describes a CADyQ network. */
    public static boolean isCadyq(Map<String, String> metadata) {
        return metadata.containsKey(META_CANDIDATES) || metadata.containsKey(META_TILE);
    }

    /**
     * The spec a CADyQ weights file's metadata describes: the QW-Net of {@link NetworkSpec#fromMetadata}, the
     * candidates of {@code cadyq_candidates} and the tile of {@code cadyq_tile}.
     *
     * @throws IllegalArgumentException naming the missing or bad key
     */
    public static CadyqSpec fromMetadata(Map<String, String> metadata) {
        NetworkSpec base = NetworkSpec.fromMetadata(metadata);
        String c = metadata.get(META_CANDIDATES);
        String t = metadata.get(META_TILE);
        if (c == null || t == null) {
            throw new IllegalArgumentException("metadata has no '" + (c == null ? META_CANDIDATES : META_TILE)
                    + "' (a CADyQ file needs both " + META_CANDIDATES + " and " + META_TILE + ")");
        }
        List<Integer> widths = new ArrayList<>();
        for (String part : c.split(",", -1)) {
            try {
                widths.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metadata '" + META_CANDIDATES + "' is '" + c
                        + "', not comma-separated integers");
            }
        }
        int tileSize;
        try {
            tileSize = Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata '" + META_TILE + "' is '" + t + "', not an integer");
        }
        return of(base, widths, tileSize);
    }

    public NetworkSpec base() {
        return base;
    }

    /** Candidate widths, ascending. */
    public List<Integer> candidates() {
        return candidates;
    }

    /** The index of a candidate width. */
    public int candidateIndex(int bits) {
        int i = candidates.indexOf(bits);
        if (i < 0) {
            throw new IllegalArgumentException(bits + " bits is not a candidate (" + candidates + ")");
        }
        return i;
    }

    /** Tile side at full resolution. */
    public int tile() {
        return tile;
    }

    /** Tile side at a scale: tile >> scale. */
    public int tile(int scale) {
        return tile >> scale;
    }

    /** Tiles across a full-resolution size (which must be a multiple of the tile). */
    public int tiles(int size) {
        if (size <= 0 || size % tile != 0) {
            throw new IllegalArgumentException("size " + size + " is not a multiple of the CADyQ tile " + tile);
        }
        return size / tile;
    }

    /** The convs with a selector, in evaluation order. */
    public List<LayerSpec> selected() {
        return selected;
    }

    public boolean isSelected(String layer) {
        for (LayerSpec l : selected) {
            if (l.name().equals(layer)) {
                return true;
            }
        }
        return false;
    }

    /** The range a conv's input belongs to (its quantizers are that range's per-width thresholds). */
    public String inputRange(LayerSpec conv) {
        String r = base.tensor(conv.inputs().get(0)).range();
        if (r == null) {
            throw new IllegalStateException(conv.name() + " reads an FP32 tensor");
        }
        return r;
    }

    /** The ranges selected convs read, in order of first use. */
    public List<String> selectedRanges() {
        Set<String> r = new LinkedHashSet<>();
        for (LayerSpec l : selected) {
            r.add(inputRange(l));
        }
        return List.copyOf(r);
    }

    /** Selector features of a conv: 2 gradient means plus one standard deviation per input channel. */
    public int features(LayerSpec conv) {
        return GRADIENT_FEATURES + conv.inChannels();
    }

    public static String selectorWeight(String layer) {
        return layer + ".selector.weight";
    }

    public static String selectorBias(String layer) {
        return layer + ".selector.bias";
    }

    /** {@code RANGE.bB.t_l} or {@code RANGE.bB.t_u} ({@code which} is "t_l" or "t_u"). */
    public static String threshold(String range, int bits, String which) {
        return range + ".b" + bits + "." + which;
    }

    /**
     * Every parameter tensor with its shape: QW-Net's ({@link NetworkSpec#weightShapes()}), then each selected conv's
     * selector weight [K][C + 2] and bias [K], then each selected range's per-width thresholds [1].
     */
    public Map<String, int[]> weightShapes() {
        Map<String, int[]> m = new LinkedHashMap<>(base.weightShapes());
        int k = candidates.size();
        for (LayerSpec l : selected) {
            m.put(selectorWeight(l.name()), new int[] {k, features(l)});
            m.put(selectorBias(l.name()), new int[] {k});
        }
        for (String r : selectedRanges()) {
            for (int b : candidates) {
                m.put(threshold(r, b, "t_l"), new int[] {1});
                m.put(threshold(r, b, "t_u"), new int[] {1});
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** {@code qwnet-cadyq}, or {@code qwnet-r-cadyq} and so on. */
    public String variant() {
        return base.variant() + "-cadyq";
    }

    /** QW-Net's metadata plus the candidates, the tile and a quantization line that says what differs. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>(base.metadata());
        m.put(META_CANDIDATES, String.join(",", candidates.stream().map(String::valueOf).toList()));
        m.put(META_TILE, Integer.toString(tile));
        m.put("quantization", String.format(Locale.ROOT, "CADyQ: the feature extractor's 4-bit convs read"
                + " activations of %s bits chosen per %dx%d tile and layer by a selector (gradient means and"
                + " per-channel std, linear, argmax), thresholds per width; otherwise as qwnet: %s", candidatesText(),
                tile, tile, base.metadata().get("quantization")));
        return m;
    }

    private String candidatesText() {
        return String.join("/", candidates.stream().map(String::valueOf).toList());
    }

    @Override
    public String toString() {
        return variant() + " (candidates " + candidates + ", tile " + tile + ", " + selected.size() + " selectors)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CadyqSpec s && s.base.equals(base) && s.candidates.equals(candidates) && s.tile == tile;
    }

    @Override
    public int hashCode() {
        return (base.hashCode() * 31 + candidates.hashCode()) * 31 + tile;
    }
}
