package org.reconview.cli;

import java.util.Locale;
import java.util.regex.Pattern;

/** A dataset block's shape, {@code NtxNxxNy} (frames x columns x rows) on the command line (see {@link TypedOptions}). */
record BlockShape(int frames, int width, int height) {
    private static final Pattern FORM = Pattern.compile("(\\d+)x(\\d+)x(\\d+)");

    /** Parses {@code NtxNxxNy}, each at least 1; an {@link IllegalArgumentException} saying what is wrong otherwise. */
    static BlockShape parse(String text) {
        var m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not NtxNxxNy (e.g. 8x64x64)");
        }
        try {
            BlockShape b = new BlockShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            if (b.frames < 1 || b.width < 1 || b.height < 1) {
                throw new IllegalArgumentException(text + " must be at least 1x1x1");
            }
            return b;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a number out of range");
        }
    }

    @Override
    public String toString() {
        return frames + "x" + width + "x" + height;
    }
}
