package org.reconview.recon;

import java.util.function.Function;
import org.reconview.gl.Texture2D;
import org.reconview.source.Frame;

/**
 * A method that shows one of the frame's own images: {@code input} (the jittered 1-spp colour, the floor every method
 * must beat) and {@code reference} (the supersampled target, the ceiling). No history.
 */
public final class PassThrough implements Reconstructor {
    private final String name;
    private final Function<Frame, Texture2D> image;

    private PassThrough(String name, Function<Frame, Texture2D> image) {
        this.name = name;
        this.image = image;
    }

    public static PassThrough input() {
        return new PassThrough("input", Frame::color);
    }

    public static PassThrough reference() {
        return new PassThrough("reference", f -> {
            if (!f.hasReference()) {
                throw new IllegalStateException("frame " + f.index() + " has no reference");
            }
            return f.reference();
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Texture2D reconstruct(Frame frame) {
        return image.apply(frame);
    }

    @Override
    public void reset() {
    }

    @Override
    public void close() {
    }
}
