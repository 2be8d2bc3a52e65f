package org.reconview.gl;

import static org.lwjgl.glfw.GLFW.*;
import static org.lwjgl.opengl.GL45C.*;
import static org.lwjgl.system.MemoryUtil.NULL;

import org.lwjgl.glfw.GLFWErrorCallback;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.opengl.GLUtil;
import org.lwjgl.system.Callback;
import org.reconview.UserException;

/**
 * A GLFW window with an OpenGL 4.5 core context, current on the creating thread. Hidden windows serve headless
 * commands and tests (under Xvfb + Mesa llvmpipe where there is no GPU). Closing destroys the window and, when it was
 * the last one, terminates GLFW.
 */
public final class GlContext implements AutoCloseable {
    /**
     * With {@code -Dreconview.glStrict=true} (the test suite sets it) every GL error the driver reports is recorded
     * (see {@link #takeErrors()}), so that tests fail on a call the driver rejected instead of on its silent effects.
     */
    static final boolean STRICT = Boolean.getBoolean("reconview.glStrict");
    private static final java.util.List<String> ERRORS = new java.util.ArrayList<>();
    private static int openWindows;
    private static GLFWErrorCallback errorCallback;

    private final long window;
    private final GLCapabilities capabilities;
    private final Callback debugCallback;
    private final String renderer;
    private final String vendor;
    private final String version;

    private GlContext(long window, GLCapabilities capabilities, Callback debugCallback) {
        this.window = window;
        this.capabilities = capabilities;
        this.debugCallback = debugCallback;
        this.renderer = glGetString(GL_RENDERER);
        this.vendor = glGetString(GL_VENDOR);
        this.version = glGetString(GL_VERSION);
    }

    /** A hidden window, for work that only renders off screen. */
    public static GlContext hidden() {
        return create(64, 64, false, "reconview");
    }

    /**
     * Creates a window and its context. Fails with a one-line {@link UserException} when there is no display or the
     * driver cannot give a 4.5 core context.
     */
    public static synchronized GlContext create(int width, int height, boolean visible, String title) {
        if (openWindows == 0) {
            if (errorCallback == null) {
                errorCallback = GLFWErrorCallback.create((code, description) -> {
                    // GLFW reports recoverable conditions here too; only the failures below are fatal.
                    if (System.getenv("RECONVIEW_GL_DEBUG") != null) {
                        System.err.println("GLFW error " + code + ": " + GLFWErrorCallback.getDescription(description));
                    }
                });
                errorCallback.set();
            }
            if (glfwPlatformSupported(GLFW_PLATFORM_X11)) {
                glfwInitHint(GLFW_PLATFORM, GLFW_PLATFORM_X11); // avoids a Wayland probe message
            }
            if (!glfwInit()) {
                throw new UserException("OpenGL: cannot initialise GLFW (no display? set DISPLAY or run under Xvfb;"
                        + " ./reconview does this by itself)");
            }
        }
        glfwDefaultWindowHints();
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 4);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 5); // 4.6 fails on Mesa llvmpipe (GLXBadFBConfig)
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
        glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
        glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
        boolean debug = System.getenv("RECONVIEW_GL_DEBUG") != null || STRICT;
        glfwWindowHint(GLFW_OPENGL_DEBUG_CONTEXT, debug ? GLFW_TRUE : GLFW_FALSE);
        long window = glfwCreateWindow(width, height, title, NULL, NULL);
        if (window == NULL) {
            if (openWindows == 0) {
                glfwTerminate();
            }
            throw new UserException("OpenGL: cannot create a 4.5 core context (driver too old or no GL on this display)");
        }
        openWindows++;
        glfwMakeContextCurrent(window);
        GLCapabilities caps = GL.createCapabilities();
        Callback cb = STRICT ? strictCallback() : debug ? GLUtil.setupDebugMessageCallback(System.err) : null;
        return new GlContext(window, caps, cb);
    }

    private static Callback strictCallback() {
        glEnable(GL_DEBUG_OUTPUT);
        glEnable(GL_DEBUG_OUTPUT_SYNCHRONOUS);
        org.lwjgl.opengl.GLDebugMessageCallback cb = org.lwjgl.opengl.GLDebugMessageCallback.create(
                (source, type, id, severity, length, message, user) -> {
                    if (type == GL_DEBUG_TYPE_ERROR) {
                        String text = org.lwjgl.opengl.GLDebugMessageCallback.getMessage(length, message);
                        synchronized (ERRORS) {
                            ERRORS.add(text + " at " + callSite());
                        }
                    }
                });
        glDebugMessageCallback(cb, 0L);
        return cb;
    }

    private static String callSite() {
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            String c = e.getClassName();
            if (c.startsWith("org.reconview.") && !c.startsWith("org.reconview.gl.")) {
                return e.toString();
            }
        }
        return "?";
    }

    /** GL errors recorded since the last call (strict mode only); clears the list. */
    public static java.util.List<String> takeErrors() {
        synchronized (ERRORS) {
            java.util.List<String> copy = java.util.List.copyOf(ERRORS);
            ERRORS.clear();
            return copy;
        }
    }

    public long window() {
        return window;
    }

    public String renderer() {
        return renderer;
    }

    public String vendor() {
        return vendor;
    }

    public String version() {
        return version;
    }

    /** True on Mesa's software rasteriser, where GL timer queries return 0 for compute and everything is slow. */
    public boolean isSoftware() {
        return renderer != null && (renderer.contains("llvmpipe") || renderer.contains("softpipe"));
    }

    /** Makes this context current on the calling thread, with its own LWJGL function table. */
    public void makeCurrent() {
        glfwMakeContextCurrent(window);
        GL.setCapabilities(capabilities);
    }

    @Override
    public synchronized void close() {
        if (debugCallback != null) {
            debugCallback.free();
        }
        glfwDestroyWindow(window);
        openWindows--;
        if (openWindows == 0) {
            glfwTerminate();
        }
    }
}
