package org.reconview.ui;

import static org.lwjgl.glfw.GLFW.*;

import imgui.ImGui;
import imgui.ImGuiIO;
import imgui.flag.ImGuiKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.reconview.UserException;
import org.reconview.gl.GlContext;
import org.reconview.gl.PassTimer;
import org.reconview.gl.Texture2D;
import org.reconview.gl.WindowSurface;
import org.reconview.io.PngImages;
import org.reconview.metrics.FrameMetrics;
import org.reconview.metrics.TemporalProfile;
import org.reconview.nn.BitOps;
import org.reconview.nn.cuda.Backend;
import org.reconview.nn.cuda.CudaBackend;
import org.reconview.nn.cuda.CudaOffload;
import org.reconview.recon.Methods;
import org.reconview.eval.SequenceMeasurer;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.source.ExrSequenceSource;
import org.reconview.source.Frame;
import org.reconview.source.FrameSource;
import org.reconview.source.LiveFrameSource;

/**
 * The viewer. Its frame loop, {@link #runFrame()}, reads top to bottom: poll input, start the UI frame, apply the
 * keyboard and mouse, advance the source and run every method on the new frame (with metrics, temporal profiles and
 * timings), paint the views, draw the panel, render the UI, swap. Everything the user can change lives in
 * {@link ViewerState}; methods that are not built yet keep a slot with the reason and light up once they exist.
 */
public final class Viewer implements AutoCloseable {
    /** Panel width in UI units at a content scale of 1. */
    static final int PANEL_WIDTH = 420;

    /** The panel's width here: wider on HiDPI screens, where the font is scaled up. */
    final int panelWidth;

    final GlContext gl;
    final ViewerState state = new ViewerState();
    final List<MethodSlot> slots = new ArrayList<>();
    final Map<String, TemporalProfile> profiles = new LinkedHashMap<>();
    /** Frames a temporal profile keeps (and exports): enough to study, bounded so that long sessions hold flat. */
    static final int PROFILE_CAPACITY = 1024;
    final PassTimer timer;
    final List<Integer> cuts = new ArrayList<>();
    private final ImGuiLayer imgui;
    private final ViewPainter painter = new ViewPainter();
    private final Panel panel;
    private final boolean scripted;
    FrameSource source;
    String sceneName;
    int spp;
    long seed;
    Frame frame;
    /** Warps previous images and measures every method's output: the loop eval runs, step by step here. */
    private SequenceMeasurer measurer;
    private float frameCursor;
    private boolean stepRequested;
    private boolean needFrame = true;
    /** Frames that playback or stepping asked for and whose work has not started. */
    private int framesDue;
    private FrameWork work;
    private Path screenshotRequest;
    private final List<ViewPainter.View> layoutViews = new ArrayList<>();
    private float dragStartX;
    private float dragStartY;
    private boolean dragging;
    double uiFrameMs;
    /** Wall clock spent in the source's and the methods' work (advance) since the viewer opened. */
    private long workNanos;
    private long lastFrameStart;
    private Methods.Config config;
    private CudaBackend.Availability cuda;
    private Backend pendingBackend;
    /** Why the last backend switch the panel asked for did not happen, or null. */
    String backendError;
    /** Titles for methods in the views (compare's A and B), else the method's name. */
    private final Map<String, String> labels;
    /** Hook run at the start of each UI frame (tests feed ImGui input events here). */
    Consumer<Viewer> beforeFrame = v -> { };

    public Viewer(GlContext gl, FrameSource source, String sceneName, int spp, long seed, Methods.Config config,
            boolean scripted) {
        this(gl, source, sceneName, spp, seed, config, scripted, null, Map.of());
    }

    /**
     * With {@code methods} non-null, only those methods get a slot (compare: input and reference); {@code labels}
     * renames methods in the views' titles (compare: "A: a.exr", "B: b.exr").
     */
    public Viewer(GlContext gl, FrameSource source, String sceneName, int spp, long seed, Methods.Config config,
            boolean scripted, List<String> methods, Map<String, String> labels) {
        this.gl = gl;
        state.stepMacs = ViewerState.stepMacsFor(gl.renderer());
        this.labels = Map.copyOf(labels);
        this.scripted = scripted;
        this.sceneName = sceneName;
        this.spp = spp;
        this.seed = seed;
        float[] xs = new float[1];
        float[] ys = new float[1];
        glfwGetWindowContentScale(gl.window(), xs, ys);
        float uiScale = Math.max(1f, xs[0]);
        this.imgui = new ImGuiLayer(gl.window(), scripted, uiScale);
        this.panelWidth = Math.round(PANEL_WIDTH * uiScale);
        this.timer = new PassTimer(gl);
        this.config = config;
        for (Methods.Entry e : Methods.all()) {
            if (methods != null && !methods.contains(e.name())) {
                continue;
            }
            slots.add(new MethodSlot(e.name(), Methods.create(e.name(), config), null));
        }
        this.panel = new Panel(this);
        setSource(source);
    }

    // ---- the frame loop ----

    /**
     * Runs until the window closes, or for {@code frames} UI frames when frames > 0; returns the mean wall-clock
     * milliseconds per UI frame, the first frame (shader compilation, first render) left out.
     */
    public double run(int frames) {
        return runTimed(frames).meanMs();
    }

    /**
     * UI frames' wall clock over a {@link #runTimed} run, the first frame left out: the mean, the mean of the part
     * spent on the source's and the methods' work (the rest is input, layout and drawing) and the slowest frame.
     */
    public record RunTimes(int frames, double meanMs, double meanWorkMs, double maxMs) {
    }

    /** {@link #run(int)}, with the frame times split into work and drawing. */
    public RunTimes runTimed(int frames) {
        long start = 0;
        int timed = 0;
        long work = 0;
        long max = 0;
        for (int i = 0; (frames <= 0 || i < frames) && !glfwWindowShouldClose(gl.window()); i++) {
            long t0 = System.nanoTime();
            long w0 = workNanos;
            runFrame();
            if (i == 0) {
                start = System.nanoTime();
            } else {
                timed++;
                work += workNanos - w0;
                max = Math.max(max, System.nanoTime() - t0);
            }
        }
        return timed == 0 ? new RunTimes(0, Double.NaN, Double.NaN, Double.NaN)
                : new RunTimes(timed, (System.nanoTime() - start) / 1e6 / timed, work / 1e6 / timed, max / 1e6);
    }

    void runFrame() {
        long start = System.nanoTime();
        glfwPollEvents();
        int[] w = new int[1];
        int[] h = new int[1];
        glfwGetFramebufferSize(gl.window(), w, h);
        beforeFrame.accept(this);
        if (pendingBackend != null) {
            backendError = setQwnetBackend(pendingBackend);
            pendingBackend = null;
        }
        imgui.newFrame(w[0], h[0]);
        handleKeys();
        long workStart = System.nanoTime();
        advance();
        workNanos += System.nanoTime() - workStart;
        // Layout and input are in UI units (GLFW window coordinates); drawing is in framebuffer pixels.
        int uiW = Math.round(ImGui.getIO().getDisplaySizeX());
        int uiH = Math.round(ImGui.getIO().getDisplaySizeY());
        painter.scale = uiW > 0 ? (float) w[0] / uiW : 1f;
        layout(uiW, uiH);
        handleMouse();
        WindowSurface.begin(w[0], h[0], 0.06f, 0.06f, 0.07f);
        paintViews(h[0]);
        panel.draw(uiW, uiH);
        imgui.render();
        if (screenshotRequest != null) {
            writeScreenshot(screenshotRequest, w[0], h[0]);
            screenshotRequest = null;
        }
        glfwSwapBuffers(gl.window());
        if (lastFrameStart != 0) {
            uiFrameMs = 0.9 * uiFrameMs + 0.1 * (start - lastFrameStart) / 1e6;
        }
        lastFrameStart = start;
    }

    // ---- input ----

    private void handleKeys() {
        ImGuiIO io = ImGui.getIO();
        if (io.getWantTextInput()) {
            return;
        }
        if (ImGui.isKeyPressed(ImGuiKey.Space, false)) {
            state.playing = !state.playing;
        }
        if (ImGui.isKeyPressed(ImGuiKey.RightArrow)) {
            state.playing = false;
            stepRequested = true;
        }
        if (ImGui.isKeyPressed(ImGuiKey.LeftArrow)) {
            state.playing = false;
            seek(state.frameIndex - 1);
        }
        int[] digits = {ImGuiKey._1, ImGuiKey._2, ImGuiKey._3, ImGuiKey._4, ImGuiKey._5, ImGuiKey._6};
        for (int i = 0; i < digits.length; i++) {
            if (ImGui.isKeyPressed(digits[i], false)) {
                solo(i);
            }
        }
        if (ImGui.isKeyPressed(ImGuiKey.G, false)) {
            state.layout = Layout.GRID;
        }
        if (ImGui.isKeyPressed(ImGuiKey.R, false)) {
            resetHistories();
        }
        if (ImGui.isKeyPressed(ImGuiKey.F, false)) {
            state.fit = true;
            state.panX = Float.NaN;
        }
        if (ImGui.isKeyPressed(ImGuiKey.S, false)) {
            requestScreenshot(Path.of(String.format(java.util.Locale.ROOT, "reconview-%s-%04d.png", source.name(), state.frameIndex)));
        }
    }

    /** Keys 1-4 solo the grid's views, 5 the 1-spp input, 6 the error map of the first view's method. */
    void solo(int key) {
        state.solo = key < 4 ? state.views[key] : key == 4 ? "input"
                : "error:" + ViewerState.methodOf(state.views[0]);
        state.layout = Layout.SOLO;
    }

    private void handleMouse() {
        ImGuiIO io = ImGui.getIO();
        float mx = io.getMousePosX();
        float my = io.getMousePosY();
        if (io.getWantCaptureMouse() || frame == null) {
            dragging = false;
            return;
        }
        ViewPainter.View hovered = viewAt(mx, my);
        if (hovered == null) {
            return;
        }
        float wheel = io.getMouseWheel();
        if (wheel != 0) {
            float zoom = currentZoom(hovered);
            float newZoom = (float) Math.min(32, Math.max(1.0 / 16, zoom * Math.pow(1.25, wheel)));
            // Keep the image point under the cursor where it is.
            float ix = state.panX + (mx - hovered.x() - 0.5f * hovered.w()) / zoom;
            float iy = state.panY + (my - hovered.y() - 0.5f * hovered.h()) / zoom;
            state.fit = false;
            state.zoom = newZoom;
            state.panX = ix - (mx - hovered.x() - 0.5f * hovered.w()) / newZoom;
            state.panY = iy - (my - hovered.y() - 0.5f * hovered.h()) / newZoom;
        }
        if (ImGui.isMouseClicked(0)) {
            dragStartX = mx;
            dragStartY = my;
            dragging = true;
        }
        if (dragging && ImGui.isMouseDown(0)) {
            float zoom = currentZoom(hovered);
            if (state.layout == Layout.SPLIT && ImGui.getIO().getKeyShift()) {
                state.divider = Math.min(1, Math.max(0, (mx - hovered.x()) / (float) hovered.w()));
            } else {
                state.panX -= io.getMouseDeltaX() / zoom;
                state.panY -= io.getMouseDeltaY() / zoom;
                if (io.getMouseDeltaX() != 0 || io.getMouseDeltaY() != 0) {
                    state.fit = false;
                }
            }
        }
        if (dragging && ImGui.isMouseReleased(0)) {
            dragging = false;
            if (Math.abs(mx - dragStartX) < 3 && Math.abs(my - dragStartY) < 3) {
                int[] p = imagePixel(hovered, mx, my);
                state.profileIndex = state.profileAxis == TemporalProfile.Axis.ROW ? p[1] : p[0];
                state.profileIndex = Math.max(0, Math.min(state.profileIndex,
                        (state.profileAxis == TemporalProfile.Axis.ROW ? source.height() : source.width()) - 1));
                clearProfiles();
            }
        }
    }

    ViewPainter.View viewAt(float x, float y) {
        for (ViewPainter.View v : layoutViews) {
            if (v.contains(x, y)) {
                return v;
            }
        }
        return null;
    }

    /** Image pixel {x, y} under a window position in a view (may lie outside the image). */
    int[] imagePixel(ViewPainter.View v, float x, float y) {
        float zoom = currentZoom(v);
        return new int[] {(int) Math.floor(state.panX + (x + 0.5f - v.x() - 0.5f * v.w()) / zoom),
            (int) Math.floor(state.panY + (y + 0.5f - v.y() - 0.5f * v.h()) / zoom)};
    }

    float currentZoom(ViewPainter.View v) {
        if (!state.fit) {
            return state.zoom;
        }
        return Math.min((float) v.w() / source.width(), (float) v.h() / source.height());
    }

    // ---- frames ----

    /**
     * Starts and runs source frames' work. Without time-slicing a frame's work runs at once (the UI waits for it);
     * with it, this UI frame runs steps of the current frame's work until {@link ViewerState#sliceMs} have passed and the UI
     * draws in between, the views marking results older than the frame shown. Playback adapts: the next frame starts
     * only once every shown method has its result for this one, so metrics stay exact.
     */
    private void advance() {
        if (needFrame) {
            needFrame = false;
            framesDue = 0;
            work = new FrameWork(state.frameIndex);
        } else if (stepRequested) {
            framesDue++;
        } else if (state.playing && work == null && framesDue == 0) {
            frameCursor += state.speed;
            int count = (int) Math.floor(frameCursor);
            frameCursor -= count;
            framesDue += count;
        }
        stepRequested = false;
        long start = System.nanoTime();
        while (true) {
            if (work == null) {
                if (framesDue == 0) {
                    return;
                }
                int next = state.frameIndex + 1;
                if (next >= source.frameCount()) {
                    if (!state.loop) {
                        state.playing = false;
                        framesDue = 0;
                        return;
                    }
                    next = 0;
                }
                framesDue--;
                state.frameIndex = next;
                work = new FrameWork(next);
            }
            double left = state.timeSlice ? state.sliceMs - (System.nanoTime() - start) / 1e6 : Double.POSITIVE_INFINITY;
            if (left <= 0) {
                return;
            }
            work.run(left);
            if (!work.done()) {
                return;
            }
            work = null;
        }
    }

    /** The frame whose work is in progress (time-slicing), or -1. */
    int frameInProgress() {
        return work == null ? -1 : work.index;
    }

    /** Steps of the work in progress done and in all, as far as known; {0, 0} when none. */
    int[] workProgress() {
        return work == null ? new int[] {0, 0} : new int[] {work.finished, work.finished + work.steps.size()};
    }

    /**
     * One source frame's work in steps: load or render it, warp the previous reference, then per shown method its
     * reconstruction steps ({@link org.reconview.Job}) and its metrics, then the frame's
     * book-keeping. Steps run in order; a step may add the steps that follow from it.
     */
    private final class FrameWork {
        final int index;
        final java.util.ArrayDeque<Runnable> steps = new java.util.ArrayDeque<>();
        int finished;

        FrameWork(int index) {
            this.index = index;
            steps.add(this::load);
        }

        boolean done() {
            return steps.isEmpty();
        }

        /** Runs steps until none is left or {@code budgetMs} have passed (each step's GL work finished in it). */
        void run(double budgetMs) {
            long start = System.nanoTime();
            while (!steps.isEmpty() && (System.nanoTime() - start) / 1e6 < budgetMs) {
                steps.poll().run();
                finished++;
            }
        }

        /** Renders or loads the frame in the source's steps (a live reference is many scene passes), then goes on. */
        private void load() {
            String pass = source instanceof LiveFrameSource ? "render (1 spp + reference)" : "load EXR frame";
            org.reconview.Job<Frame> job = source.begin(index);
            List<Runnable> next = timed(pass, job);
            next.add(() -> {
                timer.recordParts(pass);
                frame = job.result();
                loaded();
            });
            runNext(next);
        }

        /** A job's steps, each timed as a part of {@code pass}. */
        private List<Runnable> timed(String pass, org.reconview.Job<?> job) {
            List<Runnable> out = new ArrayList<>();
            for (int i = 0; i < job.steps(); i++) {
                out.add(() -> {
                    timer.begin(pass);
                    job.step();
                    timer.endPart();
                });
            }
            return out;
        }

        /** Puts {@code next} before the steps still queued, in order. */
        private void runNext(List<Runnable> next) {
            for (int i = next.size() - 1; i >= 0; i--) {
                steps.addFirst(next.get(i));
            }
        }

        private void loaded() {
            if (frame.cut()) {
                cuts.add(index);
            }
            timer.begin("warp");
            measurer.beginFrame(frame);
            timer.end();
            List<Runnable> next = new ArrayList<>();
            for (MethodSlot slot : slots) {
                if (!slot.available()) {
                    continue;
                }
                if (!state.measureAll && !shown(slot.name)) {
                    // Not on screen: skip the work. Its history is stale now, so it restarts when shown again.
                    if (measurer.remembers(slot.name)) {
                        reset(slot);
                    }
                    slot.output = null;
                    continue;
                }
                org.reconview.Job<Texture2D> job = slot.reconstructor.begin(frame,
                        state.timeSlice ? state.stepMacs : Long.MAX_VALUE);
                next.addAll(timed(slot.name, job));
                next.add(() -> finishMethod(slot, job.result()));
            }
            next.add(this::finishFrame);
            runNext(next);
        }

        private void finishMethod(MethodSlot slot, Texture2D output) {
            timer.recordParts(slot.name);
            slot.output = output;
            slot.outputFrame = index;
            if (frame.hasReference()) {
                timer.begin("metrics");
                boolean flipShown = displayed("flip:" + slot.name);
                boolean ssimShown = displayed("ssim:" + slot.name);
                java.util.Set<String> wanted = new java.util.LinkedHashSet<>(state.metrics);
                if (flipShown) {
                    wanted.add("ldr_flip");
                }
                if (ssimShown) {
                    wanted.add("ssim");
                }
                Map<String, Double> m = measurer.measure(slot.name, slot.output, state.encoding, wanted);
                if (flipShown) {
                    slot.keepMap("ldr_flip", measurer.metrics().lastMap("ldr_flip"));
                }
                if (ssimShown) {
                    slot.keepMap("ssim", measurer.metrics().lastMap("ssim"));
                }
                timer.end();
                BitOps.Frame cost = slot.reconstructor.lastCost();
                slot.history.add(index, m, cost == null ? Double.NaN : cost.avgBits(),
                        cost == null ? Double.NaN : cost.bitops());
                if (displayed("bits:" + slot.name)) {
                    slot.updateBitMap(frame.width(), frame.height());
                }
            }
            measurer.remember(slot.name, slot.output);
            profile(slot.name).append(slot.output);
        }

        private void finishFrame() {
            measurer.endFrame();
            panel.profilesChanged();
        }
    }

    private TemporalProfile profile(String name) {
        if (state.profileIndex < 0) {
            state.profileIndex = (state.profileAxis == TemporalProfile.Axis.ROW ? source.height() : source.width())
                    / 2;
        }
        return profiles.computeIfAbsent(name, n -> new TemporalProfile(state.profileAxis, state.profileIndex,
                PROFILE_CAPACITY));
    }

    void clearProfiles() {
        profiles.clear();
        panel.profilesChanged();
    }

    /** Jumps to a frame: histories restart there (a jump is a cut for every method). */
    void seek(int index) {
        int n = source.frameCount();
        state.frameIndex = ((index % n) + n) % n;
        resetHistories();
    }

    /** Restarts one method's history: its reconstruction, its metric history and its previous output. */
    private void reset(MethodSlot slot) {
        slot.reset();
        measurer.forget(slot.name);
    }

    void resetHistories() {
        for (MethodSlot s : slots) {
            s.reset();
        }
        if (measurer != null) {
            measurer.reset();
        }
        cuts.clear();
        clearProfiles();
        needFrame = true;
    }

    void step() {
        stepRequested = true;
    }

    // ---- sources ----

    void setSource(FrameSource newSource) {
        if (source != null) {
            source.close();
        }
        source = newSource;
        int w = source.width();
        int h = source.height();
        if (measurer != null) {
            measurer.close();
        }
        measurer = new SequenceMeasurer(w, h, FrameMetrics.ids());
        state.frameIndex = 0;
        state.profileIndex = -1;
        state.panX = Float.NaN;
        state.fit = true;
        frame = null;
        for (MethodSlot s : slots) {
            s.output = null;
        }
        resetHistories();
    }

    /** Opens an EXR sequence folder; a bad folder leaves the current source and shows the error in the panel. */
    void openSequence(Path dir) {
        try {
            ExrSequenceSource seq = new ExrSequenceSource(dir);
            if (seq.frameCount() > 0) {
                seq.frame(0); // read one frame now, so a broken file is reported here, not mid-play
            }
            setSource(seq);
            sceneName = null;
            state.error = null;
        } catch (UserException e) {
            state.error = e.getMessage();
        }
    }

    void openScene(String name, int width, int height) {
        try {
            setSource(new LiveFrameSource(BuiltinScenes.build(name, seed), width, height, spp,
                    LiveFrameSource.DEFAULT_JITTER_PERIOD));
            sceneName = name;
            state.error = null;
        } catch (UserException e) {
            state.error = e.getMessage();
        }
    }

    // ---- views ----

    private void layout(int w, int h) {
        layoutViews.clear();
        int mainW = Math.max(64, w - panelWidth);
        int[][] rects = state.layout.rects(0, 0, mainW, h);
        String[] contents = state.layout == Layout.FLICKER ? new String[] {flickerContent()} : layoutContents();
        for (int i = 0; i < rects.length; i++) {
            layoutViews.add(new ViewPainter.View(contents[i], rects[i][0], rects[i][1], rects[i][2], rects[i][3]));
        }
        if (Float.isNaN(state.panX) && source != null) {
            state.panX = source.width() / 2f;
            state.panY = source.height() / 2f;
        }
    }

    List<ViewPainter.View> views() {
        return layoutViews;
    }

    /** What the current layout shows (FLICKER: both of its pair, which take turns). */
    String[] layoutContents() {
        return switch (state.layout) {
            case GRID, STRIP -> state.views;
            case PAIR -> new String[] {state.views[0], state.views[1]};
            case SOLO -> new String[] {state.solo};
            case SPLIT, FLICKER -> new String[] {state.splitLeft, state.splitRight};
        };
    }

    /** FLICKER: the content on screen now, the split's left and right taking turns every flickerMs. */
    String flickerContent() {
        long turn = System.nanoTime() / 1_000_000L / Math.max(1, state.flickerMs);
        return turn % 2 == 0 ? state.splitLeft : state.splitRight;
    }

    /** Whether a content (e.g. "bits:qwnet-cadyq") is on screen in the current layout. */
    boolean displayed(String content) {
        return java.util.Arrays.asList(layoutContents()).contains(content);
    }

    boolean shown(String method) {
        if (method.equals("input") || method.equals("reference")) {
            return true;
        }
        for (String c : layoutContents()) {
            if (ViewerState.methodOf(c).equals(method)) {
                return true;
            }
        }
        return false;
    }

    /** The texture a content name shows now, or null (method not available, no frame yet). */
    Texture2D textureOf(String content) {
        if (frame == null) {
            return null;
        }
        if (content.equals("motion")) {
            return frame.motion();
        }
        MethodSlot slot = slot(ViewerState.methodOf(content));
        if (slot == null || !slot.available() || slot.output == null) {
            return null;
        }
        if ((ViewerState.isError(content) || ViewerState.isSigned(content) || ViewerState.isRelative(content))
                && !frame.hasReference()) {
            return null;
        }
        if (ViewerState.isBits(content)) {
            return slot.bitMap;
        }
        if (ViewerState.isFlip(content)) {
            return frame.hasReference() ? slot.maps.get("ldr_flip") : null;
        }
        if (ViewerState.isSsim(content)) {
            return frame.hasReference() ? slot.maps.get("ssim") : null;
        }
        return slot.output;
    }

    /** Where QW-Net's integer convs run now (GLSL or CUDA). */
    Backend qwnetBackend() {
        return config.qwnetBackend();
    }

    /** Whether the CUDA backend can run with this window's GL context (probed once), for the panel. */
    CudaBackend.Availability cudaAvailability() {
        if (cuda == null) {
            cuda = CudaOffload.availability(gl.renderer());
        }
        return cuda;
    }

    /** The panel's request: switch QW-Net's backend at the start of the next UI frame (outside any view's drawing). */
    void requestQwnetBackend(Backend b) {
        pendingBackend = b;
    }

    /**
     * Rebuilds the methods that offer a backend choice on backend {@code b} (GLSL or CUDA) and reprocesses the
     * current frame; returns null, or why not (the methods keep running where they were).
     */
    String setQwnetBackend(Backend b) {
        if (b == config.qwnetBackend()) {
            return null;
        }
        if (b != Backend.GLSL && b != Backend.CUDA) {
            return "backend " + b.id() + " cannot be chosen in the viewer";
        }
        if (b == Backend.CUDA && !cudaAvailability().available()) {
            return "CUDA unavailable: " + cudaAvailability().reason();
        }
        // every method that offers the choice (Reconstructor.hasBackendChoice), rebuilt under its own name
        List<Integer> which = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).available() && slots.get(i).reconstructor.hasBackendChoice()) {
                which.add(i);
            }
        }
        if (which.isEmpty()) {
            return "no method runs on a choice of backends";
        }
        Methods.Config c = new Methods.Config(config.taa(), config.weightFiles(), b);
        List<MethodSlot> fresh = new ArrayList<>();
        try {
            for (int i : which) {
                String name = slots.get(i).name;
                fresh.add(new MethodSlot(name, Methods.create(name, c), null));
            }
        } catch (RuntimeException e) {
            fresh.forEach(MethodSlot::close);
            return e.getMessage();
        }
        for (int k = 0; k < which.size(); k++) {
            slots.set(which.get(k), fresh.get(k)).close();
        }
        config = c;
        needFrame = true;
        return null;
    }

    /** A method's name in titles: its label (compare's A, B) or the name itself. */
    String label(String method) {
        return labels.getOrDefault(method, method);
    }

    MethodSlot slot(String name) {
        for (MethodSlot s : slots) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        return null;
    }

    private void paintViews(int framebufferHeight) {
        ImGuiIO io = ImGui.getIO();
        for (int i = 0; i < layoutViews.size(); i++) {
            ViewPainter.View v = layoutViews.get(i);
            int[] scissor = null;
            if (state.layout == Layout.SPLIT) {
                int split = v.x() + Math.round(state.divider * v.w());
                scissor = i == 0 ? new int[] {v.x(), v.y(), split - v.x(), v.h()}
                        : new int[] {split, v.y(), v.x() + v.w() - split, v.h()};
            }
            Texture2D tex = textureOf(v.content());
            painter.paint(v, framebufferHeight, tex, frame != null && frame.hasReference() ? frame.reference() : null,
                    state, scissor, currentZoom(v), state.panX, state.panY);
            MethodSlot slot = slot(ViewerState.methodOf(v.content()));
            String method = label(ViewerState.methodOf(v.content()));
            String title = v.content().equals("motion") ? "motion vectors"
                    : ViewerState.isError(v.content()) ? "error map: " + method + " (" + state.encoding.id() + ")"
                    : ViewerState.isSigned(v.content()) ? "signed difference: " + method + " minus "
                            + label("reference") + " (" + state.encoding.id() + ")"
                    : ViewerState.isRelative(v.content()) ? "relative error: " + method
                            + " (linear, |a - b| / (|b| + 0.01))"
                    : ViewerState.isSsim(v.content()) ? "1 - SSIM map: " + method + " (" + state.encoding.id() + ")"
                    : ViewerState.isFlip(v.content()) ? "LDR-FLIP map: " + method + " ("
                            + state.encoding.id() + " as displayed, 67 ppd)"
                    : ViewerState.isBits(v.content()) ? String.format(java.util.Locale.ROOT, "bit map: %s (blue 2, "
                            + "green 4, red 8 bits; MAC-weighted mean over its layers), %.2f bits",
                            method, slot == null ? Double.NaN : slot.history.lastBits())
                    : method + (slot != null ? slot.note() : "");
            if (slot != null && slot.output != null && slot.outputFrame >= 0 && slot.outputFrame != state.frameIndex) {
                title += "  [frame " + slot.outputFrame + "; computing " + state.frameIndex + "]";
            }
            String numbers = slot != null && slot.available() && !v.content().equals("reference")
                    ? ViewPainter.numbers(slot.history.lastPsnr(), slot.history.lastSsim()) : null;
            float ox = state.layout == Layout.SPLIT && i == 1 ? v.x() + Math.round(state.divider * v.w()) : v.x();
            ViewPainter.overlay(new ViewPainter.View(v.content(), (int) ox, v.y(), v.w(), v.h()), title, numbers,
                    slot != null ? slot.unavailable : null);
            if (tex != null && (ViewerState.isFlip(v.content()) || ViewerState.isError(v.content())
                    || ViewerState.isSsim(v.content()) || ViewerState.isRelative(v.content()))) {
                boolean scaled = ViewerState.isError(v.content()) || ViewerState.isRelative(v.content());
                ViewPainter.colorBar(new ViewPainter.View(v.content(), (int) ox, v.y(), v.w(), v.h()),
                        scaled ? state.errorScale : 1.0,
                        ViewerState.isFlip(v.content()) ? "LDR-FLIP" : ViewerState.isSsim(v.content()) ? "1 - SSIM"
                                : ViewerState.isRelative(v.content()) ? "relative error"
                                : "mean |error| (" + state.encoding.id() + ")");
            } else if (tex != null && ViewerState.isSigned(v.content())) {
                ViewPainter.colorBar(new ViewPainter.View(v.content(), (int) ox, v.y(), v.w(), v.h()),
                        state.errorScale, "mean difference (" + state.encoding.id() + ")", true);
            }
        }
        if (state.layout == Layout.SPLIT && !layoutViews.isEmpty()) {
            ViewPainter.View v = layoutViews.get(0);
            float x = v.x() + state.divider * v.w();
            ImGui.getBackgroundDrawList().addLine(x, v.y(), x, v.y() + v.h(),
                    ImGui.colorConvertFloat4ToU32(1f, 1f, 1f, 0.9f), 2f);
        }
        if (state.magnifier && !io.getWantCaptureMouse()) {
            ViewPainter.View v = viewAt(io.getMousePosX(), io.getMousePosY());
            if (v != null) {
                painter.lens(v, framebufferHeight, textureOf(v.content()), frame == null ? null : frame.reference(), state,
                        io.getMousePosX(), io.getMousePosY(), currentZoom(v), state.panX, state.panY);
            }
        }
    }

    // ---- screenshots ----

    void requestScreenshot(Path file) {
        screenshotRequest = file;
    }

    private void writeScreenshot(Path file, int w, int h) {
        try {
            PngImages.write(file, w, h, 3, WindowSurface.readRgb8(w, h));
            panel.notice("screenshot: " + file.toAbsolutePath().normalize());
        } catch (UserException e) {
            state.error = e.getMessage();
        }
    }

    /** Saves the window after one more UI frame, which first finishes the frame work in progress. */
    public void screenshotNow(Path file) {
        requestScreenshot(file);
        boolean wasPlaying = state.playing;
        boolean wasSliced = state.timeSlice;
        state.playing = false;
        state.timeSlice = false;
        runFrame();
        state.playing = wasPlaying;
        state.timeSlice = wasSliced;
    }

    /**
     * Writes the current frame of every view on screen into {@code dir}, named SOURCE-FRAME-CONTENT.exr: a method's
     * output, the input and the reference as linear RGBA; an error, signed-difference, FLIP or bit map as one channel
     * (Y) of the values the view colours (the error maps as {@code eval --error-maps} defines them, on the metric
     * encoding); the motion vectors as R, G (pixels). Finishes the frame work in progress first. Returns the files.
     */
    public List<Path> exportViews(Path dir) {
        if (work != null) {
            work.run(Double.POSITIVE_INFINITY);
            work = null;
        }
        List<Path> files = new ArrayList<>();
        if (frame == null) {
            return files;
        }
        java.util.Set<String> contents = new java.util.LinkedHashSet<>(java.util.Arrays.asList(layoutContents()));
        for (String content : contents) {
            Texture2D tex = textureOf(content);
            if (tex == null) {
                continue;
            }
            int w = tex.width();
            int h = tex.height();
            Path file = dir.resolve(String.format(java.util.Locale.ROOT, "%s-%04d-%s.exr", source.name(),
                    state.frameIndex, content.replace(':', '-')).replaceAll("[^A-Za-z0-9._-]", "_"));
            if (content.equals("motion")) {
                org.reconview.io.ExrImages.write(file, new org.reconview.io.FloatImage(w, h, 2, tex.download(2)), "R",
                        "G");
            } else if (ViewerState.isFlip(content) || ViewerState.isBits(content)) {
                org.reconview.io.ExrImages.write(file, new org.reconview.io.FloatImage(w, h, 1, tex.download(1)), "Y");
            } else if (ViewerState.isError(content) || ViewerState.isSigned(content)
                    || ViewerState.isRelative(content)) {
                org.reconview.io.FloatImage out = new org.reconview.io.FloatImage(w, h, 4, tex.download(4));
                org.reconview.io.FloatImage ref = new org.reconview.io.FloatImage(w, h, 4, frame.reference().download(4));
                double[] m = org.reconview.eval.ErrorMaps.map(ViewerState.isError(content) ? "abs"
                        : ViewerState.isRelative(content) ? "rel" : "signed", out, ref, state.encoding);
                float[] y = new float[m.length];
                for (int i = 0; i < m.length; i++) {
                    y[i] = (float) m[i];
                }
                org.reconview.io.ExrImages.write(file, new org.reconview.io.FloatImage(w, h, 1, y), "Y");
            } else {
                org.reconview.io.ExrImages.write(file, new org.reconview.io.FloatImage(w, h, 4, tex.download(4)), "R",
                        "G", "B", "A");
            }
            files.add(file);
        }
        return files;
    }

    Panel panel() {
        return panel;
    }

    public ViewerState state() {
        return state;
    }

    public Frame currentFrame() {
        return frame;
    }

    @Override
    public void close() {
        panel.close();
        slots.forEach(MethodSlot::close);
        if (measurer != null) {
            measurer.close();
        }
        painter.close();
        timer.close();
        imgui.close();
        if (source != null) {
            source.close();
        }
    }
}
