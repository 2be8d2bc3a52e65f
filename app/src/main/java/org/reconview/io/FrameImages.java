package org.reconview.io;

import java.util.Objects;

/**
 * One frame of a sequence in memory: {@code color} RGBA (linear), {@code motion} RG in the canonical convention
 * (see {@link MotionConvention}), {@code depth} one channel or null, {@code reference} RGBA or null, the frame's
 * sub-pixel jitter in pixels (+x right, +y down) and whether it starts a new camera shot. All images are the
 * sequence's size, row 0 = top.
 */
public record FrameImages(int index, FloatImage color, FloatImage motion, FloatImage depth, FloatImage reference,
                          float jitterX, float jitterY, boolean cut) {
    public FrameImages {
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(motion, "motion");
        if (index < 0) {
            throw new IllegalArgumentException("frame index " + index);
        }
    }
}
