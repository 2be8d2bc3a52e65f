package org.reconview.color;

import java.nio.charset.StandardCharsets;
import org.reconview.ProjectPaths;

/**
 * Perceptually uniform colour maps from their published 256-entry tables, never a hand-tuned ramp: magma and viridis
 * of Smith and van der Walt (matplotlib's; tables from BIDS/colormap {@code colormaps.py}, CC0) and, for signed
 * errors, Kovesi's diverging CET-D1 (blue - white - red; holoviz/colorcet {@code assets/CET}, CC BY 4.0), each copied
 * unchanged to {@code assets/colormaps/NAME.csv} under a comment naming its source. Entries are sRGB display values; {@link #rgb} interpolates linearly between
 * neighbouring entries, as a 256-texel texture with linear filtering does.
 */
public enum ColorMap {
    MAGMA("magma"),
    VIRIDIS("viridis"),
    /** Diverging: entry 127.5 (t = 0.5) is the neutral middle, for signed values mapped as 0.5 + v / (2 top). */
    CET_D1("cet-d1");

    /** Entries of every published table. */
    public static final int ENTRIES = 256;

    private final String id;
    private float[] table;

    ColorMap(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The published table, ENTRIES x (r, g, b), sRGB display values in [0, 1] (a copy). */
    public float[] table() {
        return loaded().clone();
    }

    /** The table, loaded on first use; shared, read-only (rgb() runs per pixel, so it must not copy). */
    private synchronized float[] loaded() {
        if (table == null) {
            table = load(id);
        }
        return table;
    }

    /**
     * The colour at {@code t} in [0, 1] (clamped; NaN maps to 0): entry t (ENTRIES - 1), interpolated between the two
     * nearest entries. Returns sRGB display values.
     */
    public float[] rgb(double t) {
        float[] tab = loaded();
        double x = (Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t))) * (ENTRIES - 1);
        int i = Math.min(ENTRIES - 2, (int) Math.floor(x));
        double f = x - i;
        float[] out = new float[3];
        for (int c = 0; c < 3; c++) {
            out[c] = (float) ((1 - f) * tab[3 * i + c] + f * tab[3 * (i + 1) + c]);
        }
        return out;
    }

    /** A colour bar's labels for a scale [0, top]: "0", the middle and the top, three significant digits. */
    public static String[] barLabels(double top) {
        return new String[] {"0", String.format(java.util.Locale.ROOT, "%.3g", top / 2),
            String.format(java.util.Locale.ROOT, "%.3g", top)};
    }

    /** A signed colour bar's labels for a scale [-top, top]: -top, "0" and +top, three significant digits. */
    public static String[] signedBarLabels(double top) {
        String t = String.format(java.util.Locale.ROOT, "%.3g", top);
        return new String[] {"-" + t, "0", "+" + t};
    }

    private static float[] load(String id) {
        String text = new String(ProjectPaths.readAsset("colormaps/" + id + ".csv"), StandardCharsets.UTF_8);
        float[] out = new float[3 * ENTRIES];
        int n = 0;
        for (String line : text.split("\n")) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != 3 || n == ENTRIES) {
                throw new IllegalStateException("assets/colormaps/" + id + ".csv: not " + ENTRIES + " lines of r,g,b");
            }
            for (int c = 0; c < 3; c++) {
                out[3 * n + c] = Float.parseFloat(f[c]);
            }
            n++;
        }
        if (n != ENTRIES) {
            throw new IllegalStateException("assets/colormaps/" + id + ".csv: " + n + " entries, expected " + ENTRIES);
        }
        return out;
    }
}
