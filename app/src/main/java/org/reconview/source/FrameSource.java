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

    /**
     * Frame {@code index} as steps a caller may spread over UI frames (a live reference is many scene passes);
     * running them all is {@link #frame}. Default: one step. No other call may come between its steps.
     */
    default org.reconview.Job<Frame> begin(int index) {
        return org.reconview.Job.of(() -> frame(index));
    }

    @Override
    void close();
}
