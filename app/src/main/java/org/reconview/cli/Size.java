package org.reconview.cli;

import org.reconview.UserException;

/** An image size given as WxH on the command line. */
public record Size(int width, int height) {
    public static final int MAX = 8192;

    public static Size parse(String option, String text) {
        String[] parts = text.trim().toLowerCase().split("x");
        if (parts.length == 2) {
            try {
                int w = Integer.parseInt(parts[0]);
                int h = Integer.parseInt(parts[1]);
                if (w < 8 || h < 8 || w > MAX || h > MAX) {
                    throw new UserException(option + ": size " + text + " out of range (8 to " + MAX + " per side)");
                }
                return new Size(w, h);
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new UserException(option + ": '" + text + "' is not a size WxH (e.g. 256x256)");
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
