package org.reconview.cli;

import org.reconview.UserException;

/** A rectangle of pixels given as {@code x,y,w,h} on the command line (a picocli type: see {@link TypedOptions}). */
record PixelRect(int x, int y, int w, int h) {
    /** Parses {@code x,y,w,h} (x, y at least 0; w, h at least 1); an {@link IllegalArgumentException} otherwise. */
    static PixelRect parse(String text) {
        String[] p = text.split(",", -1);
        if (p.length == 4) {
            try {
                PixelRect r = new PixelRect(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                        Integer.parseInt(p[2].trim()), Integer.parseInt(p[3].trim()));
                if (r.x >= 0 && r.y >= 0 && r.w > 0 && r.h > 0) {
                    return r;
                }
            } catch (NumberFormatException e) {
                // the message below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not x,y,w,h (x, y >= 0; w, h >= 1)");
    }

    /** The rectangle as {x, y, w, h}, refused with one line naming {@code option} if it leaves a w x h image. */
    int[] within(String option, int width, int height) {
        if ((long) x + w > width || (long) y + h > height) {
            throw new UserException(option + ": " + this + " does not fit in " + width + "x" + height);
        }
        return new int[] {x, y, w, h};
    }

    @Override
    public String toString() {
        return x + "," + y + "," + w + "," + h;
    }
}
