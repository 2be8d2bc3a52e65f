package org.reconview.source;

import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;

/**
 * One frame as every reconstructor sees it: the jittered 1-spp colour (linear HDR RGBA), motion vectors (RG, pixels,
 * current to previous, +y down, jitter removed), linear view depth, and optionally the supersampled reference, with
 * the frame's index, scene time, jitter (pixels, +y down) and whether it starts a new shot. The textures belong to the
 * source and are valid until its next call.
 */
public record Frame(int index, double time, float jitterX, float jitterY, boolean cut, Texture2D color,
        Texture2D motion, Texture2D depth, Texture2D reference) {

    public int width() {
        return color.width();
    }

    public int height() {
        return color.height();
    }

    public boolean hasReference() {
        return reference != null;
    }

    /** Reads the frame back to the CPU (for writing files and for tests). */
    public FrameImages download() {
        int w = width();
        int h = height();
        return new FrameImages(index, new FloatImage(w, h, 4, color.download(4)),
                new FloatImage(w, h, 2, motion.download(2)),
                depth == null ? null : new FloatImage(w, h, 1, depth.download(1)),
                reference == null ? null : new FloatImage(w, h, 4, reference.download(4)), jitterX, jitterY, cut);
    }
}
