package org.reconview.source;

/**
 * Where frames come from: the live renderer or an EXR sequence on disk. Both give the same {@link Frame} for the
 * same frame index, so everything downstream works on either.
 */
public interface FrameSource extends AutoCloseable {
    /** A short name for titles and file names: the scene name or the sequence folder. */
    String name();

    int width();

    int height();

    /** Number of frames; a live scene loops its animation, so any index is valid there. */
    int frameCount();

    /** Renders or loads frame {@code index}; the returned textures stay valid until the next call. */
    Frame frame(int index);

    @Override
    void close();
}
