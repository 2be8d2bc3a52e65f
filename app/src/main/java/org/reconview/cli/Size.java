package org.reconview.cli;

import java.util.Locale;

/** An image size given as {@code WxH} on the command line (a picocli type: see {@link TypedOptions}). */
public record Size(int width, int height) {
    public static final int MIN = 8;
    public static final int MAX = 8192;

    /** Parses {@code WxH}; an {@link IllegalArgumentException} saying what is wrong with the text otherwise. */
    public static Size parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x", -1);
        if (parts.length == 2) {
            try {
                int w = Integer.parseInt(parts[0]);
                int h = Integer.parseInt(parts[1]);
                if (w < MIN || h < MIN || w > MAX || h > MAX) {
                    throw new IllegalArgumentException("size " + text + " out of range (" + MIN + " to " + MAX
                            + " per side)");
                }
                return new Size(w, h);
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a size WxH (e.g. 256x256)");
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
