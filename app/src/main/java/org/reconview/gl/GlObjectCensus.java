package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Counts the live OpenGL objects of the current context by kind (programs and shaders not flagged for deletion), asking GL itself ({@code glIsTexture} and so on for
 * every name from 1 up to {@link #GAP} past the highest live one), so that objects made outside this package's
 * wrappers (ImGui's, say) are counted too. For soak runs: a count that grows from one sample to the next is a leak.
 * Costs a few milliseconds per kind; call it between frames, not inside one.
 */
public final class GlObjectCensus {
    /** Unused names scanned past the highest live one before the scan stops (GL reuses freed names). */
    static final int GAP = 4096;

    private GlObjectCensus() {
    }

    /** Live objects per kind: textures, buffers, framebuffers, renderbuffers, programs, shaders, vertex arrays, queries. */
    public static Map<String, Integer> count() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("textures", scan(id -> glIsTexture(id)));
        m.put("buffers", scan(id -> glIsBuffer(id)));
        m.put("framebuffers", scan(id -> glIsFramebuffer(id)));
        m.put("renderbuffers", scan(id -> glIsRenderbuffer(id)));
        // A deleted program or shader that is still in use (the current program, say) is only flagged for deletion
        // and freed once unbound (Mesa keeps the last one a while): it is not a leak, so it is not counted.
        m.put("programs", scan(id -> glIsProgram(id) && glGetProgrami(id, GL_DELETE_STATUS) == GL_FALSE));
        m.put("shaders", scan(id -> glIsShader(id) && glGetShaderi(id, GL_DELETE_STATUS) == GL_FALSE));
        m.put("vertex_arrays", scan(id -> glIsVertexArray(id)));
        m.put("queries", scan(id -> glIsQuery(id)));
        return m;
    }

    /** The sum over kinds of {@link #count()}. */
    public static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static int scan(IntPredicate live) {
        int n = 0;
        int last = 0;
        for (int id = 1; id - last <= GAP; id++) {
            if (live.test(id)) {
                n++;
                last = id;
            }
        }
        return n;
    }
}
