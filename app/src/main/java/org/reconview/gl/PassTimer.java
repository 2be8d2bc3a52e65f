package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times GPU passes by name: with GL_TIME_ELAPSED queries where the driver supports them, else (Mesa llvmpipe, whose
 * timer queries read 0 for compute) by the wall clock around the pass with glFinish on both sides. {@link #method()}
 * says which, and the UI shows it. Times are smoothed (exponential moving average) for display.
 */
public final class PassTimer implements AutoCloseable {
    private final boolean queries;
    private final int query;
    private final Map<String, Double> smoothed = new LinkedHashMap<>();
    private final Map<String, Double> last = new LinkedHashMap<>();
    private final Map<String, Double> parts = new LinkedHashMap<>();
    private String open;
    private long wallStart;

    public PassTimer(GlContext gl) {
        this.queries = !gl.isSoftware();
        this.query = queries ? glGenQueries() : 0;
    }

    public String method() {
        return queries ? "GL timer queries (GL_TIME_ELAPSED)" : "wall clock after glFinish (no GPU timer queries on "
                + "this driver)";
    }

    public void begin(String pass) {
        if (open != null) {
            throw new IllegalStateException("pass " + open + " still open");
        }
        open = pass;
        if (queries) {
            glBeginQuery(GL_TIME_ELAPSED, query);
        } else {
            glFinish();
            wallStart = System.nanoTime();
        }
    }

    public void end() {
        double ms = stop();
        last.put(open, ms);
        smoothed.merge(open, ms, (old, now) -> 0.9 * old + 0.1 * now);
        open = null;
    }

    /**
     * As {@link #end()}, for work that comes in parts (a network spread over UI frames): adds the part's time to the
     * pass's sum, which {@link #recordParts(String)} then records as one measurement.
     */
    public void endPart() {
        parts.merge(open, stop(), Double::sum);
        open = null;
    }

    /** Records the sum of a pass's parts as its measurement (nothing if it had none). */
    public void recordParts(String pass) {
        Double ms = parts.remove(pass);
        if (ms != null) {
            last.put(pass, ms);
            smoothed.merge(pass, ms, (old, now) -> 0.9 * old + 0.1 * now);
        }
    }

    private double stop() {
        double ms;
        if (queries) {
            glEndQuery(GL_TIME_ELAPSED);
            ms = glGetQueryObjecti64(query, GL_QUERY_RESULT) / 1e6;
        } else {
            glFinish();
            ms = (System.nanoTime() - wallStart) / 1e6;
        }
        return ms;
    }

    /** Smoothed milliseconds per pass, in the order passes were first seen. */
    public Map<String, Double> smoothedMs() {
        return smoothed;
    }

    /** The latest measurement per pass. */
    public Map<String, Double> lastMs() {
        return last;
    }

    @Override
    public void close() {
        if (queries) {
            glDeleteQueries(query);
        }
    }
}
