package org.reconview;

import org.reconview.gl.GlContext;

/**
 * The one hidden GL context of the test JVM (llvmpipe under Xvfb in CI), created on first use and kept until the JVM
 * exits: creating a context per test class would cost seconds each. Tests run on one thread, where it is current.
 */
public final class GlTest {
    private static GlContext context;

    private GlTest() {
    }

    public static synchronized GlContext context() {
        if (context == null) {
            context = GlContext.hidden();
        } else {
            context.makeCurrent();
        }
        return context;
    }
}
