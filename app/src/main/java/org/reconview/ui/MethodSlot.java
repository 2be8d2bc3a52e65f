package org.reconview.ui;

import static org.lwjgl.opengl.GL45C.GL_RGBA32F;

import org.reconview.gl.Texture2D;
import org.reconview.recon.Reconstructor;

/**
 * One method in the viewer: its reconstructor (or why it is not available), its latest output, the copy of the
 * previous output that the temporal error needs, and its metric history since the last reset.
 */
final class MethodSlot implements AutoCloseable {
    final String name;
    final Reconstructor reconstructor;
    final String unavailable;
    final MetricHistory history = new MetricHistory();
    Texture2D output;
    Texture2D previous;
    boolean hasPrevious;
    double lastMs;

    MethodSlot(String name, Reconstructor reconstructor, String unavailable) {
        this.name = name;
        this.reconstructor = reconstructor;
        this.unavailable = unavailable;
    }

    /** A short note for the view's title: how a network's weights came to be. */
    String note() {
        if (reconstructor instanceof org.reconview.recon.NetworkReconstructor n) {
            return "  (" + n.shortDescription() + ")";
        }
        return "";
    }

    boolean available() {
        return reconstructor != null;
    }

    void ensurePrevious(int w, int h) {
        if (previous == null || previous.width() != w || previous.height() != h) {
            if (previous != null) {
                previous.close();
            }
            previous = new Texture2D(w, h, GL_RGBA32F);
            hasPrevious = false;
        }
    }

    void reset() {
        if (reconstructor != null) {
            reconstructor.reset();
        }
        hasPrevious = false;
        history.clear();
    }

    @Override
    public void close() {
        if (reconstructor != null) {
            reconstructor.close();
        }
        if (previous != null) {
            previous.close();
        }
    }
}
