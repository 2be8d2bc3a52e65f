package org.reconview.ui;

/** How the main area is divided into views. */
public enum Layout {
    GRID("2x2 grid", 4), SOLO("solo", 1), PAIR("1x2", 2), STRIP("1x4 strip", 4), SPLIT("split wipe", 2),
    /** The split's two contents in one view, alternating (tev's flicker: differences jump out). */
    FLICKER("flicker", 1);

    public final String label;
    public final int views;

    Layout(String label, int views) {
        this.label = label;
        this.views = views;
    }

    /** The option's spelling: {@code grid}, {@code solo}, ... */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The layout named {@code s} (case-insensitive); an {@link IllegalArgumentException} listing them if none. */
    public static Layout parse(String s) {
        for (Layout l : values()) {
            if (l.name().equalsIgnoreCase(s)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown '" + s + "' (" + String.join(", ", ids()) + ")");
    }

    /** Every layout's {@link #id()}, in order. */
    public static java.util.List<String> ids() {
        return java.util.Arrays.stream(values()).map(Layout::id).toList();
    }

    /**
     * View rectangles {x, y, w, h} in window pixels from the top-left, for a main area of the given size. SPLIT has
     * two rectangles covering the same area: the divider decides which one a pixel shows.
     */
    public int[][] rects(int x0, int y0, int w, int h) {
        int gap = 2;
        return switch (this) {
            case SOLO, FLICKER -> new int[][] {{x0, y0, w, h}};
            case SPLIT -> new int[][] {{x0, y0, w, h}, {x0, y0, w, h}};
            case PAIR -> new int[][] {{x0, y0, (w - gap) / 2, h}, {x0 + (w + gap) / 2, y0, (w - gap) / 2, h}};
            case STRIP -> {
                int vw = (w - 3 * gap) / 4;
                yield new int[][] {{x0, y0, vw, h}, {x0 + vw + gap, y0, vw, h}, {x0 + 2 * (vw + gap), y0, vw, h},
                    {x0 + 3 * (vw + gap), y0, vw, h}};
            }
            case GRID -> {
                int vw = (w - gap) / 2;
                int vh = (h - gap) / 2;
                yield new int[][] {{x0, y0, vw, vh}, {x0 + vw + gap, y0, vw, vh}, {x0, y0 + vh + gap, vw, vh},
                    {x0 + vw + gap, y0 + vh + gap, vw, vh}};
            }
        };
    }
}
