package org.reconview.ui;

import imgui.ImGui;
import imgui.extension.implot.ImPlot;
import imgui.flag.ImGuiCond;
import imgui.flag.ImGuiTableFlags;
import imgui.flag.ImGuiTreeNodeFlags;
import imgui.flag.ImGuiWindowFlags;
import imgui.type.ImInt;
import imgui.type.ImString;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lwjgl.system.MemoryUtil;
import org.reconview.UserException;
import org.reconview.eval.Rgb8;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;
import org.reconview.io.TextFiles;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.FrameMetric;
import org.reconview.metrics.FrameMetrics;
import org.reconview.metrics.TemporalProfile;
import org.reconview.nn.cuda.Backend;
import org.reconview.nn.cuda.CudaBackend;
import org.reconview.recon.Widgets;
import org.reconview.scene.builtin.BuiltinScenes;

/**
 * The side panel: source (scene, EXR folder, resolution), playback, layout and view contents, display, per-method
 * controls, the metrics table (this frame and the mean since the last reset), ImPlot curves, temporal profiles,
 * per-pass timings, the pixel inspector, and exports. It changes {@link ViewerState} and calls the viewer's actions.
 */
final class Panel implements AutoCloseable {
    private static final String[] LAYOUTS = {"GRID", "SOLO", "PAIR", "STRIP", "SPLIT", "FLICKER"};
    private static final int PROFILE_ROWS = 160;

    private final Viewer viewer;
    private final ImString folder = new ImString(512);
    private final int[] size = new int[2];
    private final Map<String, Texture2D> profileTextures = new LinkedHashMap<>();
    private boolean profilesDirty = true;
    private String notice;

    Panel(Viewer viewer) {
        this.viewer = viewer;
    }

    void notice(String text) {
        notice = text;
    }

    void profilesChanged() {
        profilesDirty = true;
    }

    List<String> contents() {
        return ViewerState.contents(viewer.slots.stream().map(s -> s.name).toList());
    }

    void draw(int windowWidth, int windowHeight) {
        ViewerState s = viewer.state;
        ImGui.setNextWindowPos(windowWidth - viewer.panelWidth, 0, ImGuiCond.Always);
        ImGui.setNextWindowSize(viewer.panelWidth, windowHeight, ImGuiCond.Always);
        ImGui.begin("reconview", ImGuiWindowFlags.NoMove | ImGuiWindowFlags.NoResize | ImGuiWindowFlags.NoCollapse);
        ImGui.pushItemWidth(-130); // room for the labels on the right
        if (s.error != null) {
            ImGui.textColored(1f, 0.4f, 0.35f, 1f, "error: " + s.error);
            if (ImGui.smallButton("dismiss")) {
                s.error = null;
            }
        }
        if (notice != null) {
            ImGui.textWrapped(notice);
        }
        sourceSection(s);
        playbackSection(s);
        layoutSection(s);
        displaySection(s);
        methodsSection();
        metricsSection();
        plotsSection();
        profilesSection(s);
        timingsSection();
        inspectorSection();
        ImGui.popItemWidth();
        ImGui.end();
    }

    private void sourceSection(ViewerState s) {
        if (!ImGui.collapsingHeader("Source", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        ImGui.text(viewer.source.name() + "  " + viewer.source.width() + "x" + viewer.source.height() + "  "
                + viewer.source.frameCount() + " frames");
        List<String> names = BuiltinScenes.names();
        ImInt current = new ImInt(Math.max(0, names.indexOf(viewer.sceneName)));
        if (ImGui.combo("scene", current, names.toArray(new String[0]))) {
            viewer.openScene(names.get(current.get()), viewer.source.width(), viewer.source.height());
        }
        if (size[0] == 0) {
            size[0] = viewer.source.width();
            size[1] = viewer.source.height();
        }
        ImGui.inputInt2("size", size);
        ImGui.sameLine();
        if (ImGui.button("apply") && viewer.sceneName != null) {
            if (size[0] < 16 || size[1] < 16 || size[0] > 4096 || size[1] > 4096) {
                s.error = "size " + size[0] + "x" + size[1] + " out of range (16 to 4096)";
            } else {
                viewer.openScene(viewer.sceneName, size[0], size[1]);
            }
        }
        ImGui.inputText("EXR folder", folder);
        ImGui.sameLine();
        if (ImGui.button("open")) {
            viewer.openSequence(Path.of(folder.get().trim()));
        }
    }

    /** Sets the folder field and presses "open" (what a user does; tests call it). */
    void openFolder(String path) {
        folder.set(path);
        viewer.openSequence(Path.of(path));
    }

    private void playbackSection(ViewerState s) {
        if (!ImGui.collapsingHeader("Playback", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        if (ImGui.button(s.playing ? "pause" : "play")) {
            s.playing = !s.playing;
        }
        ImGui.sameLine();
        if (ImGui.button("step")) {
            s.playing = false;
            viewer.step();
        }
        ImGui.sameLine();
        if (ImGui.button("reset histories")) {
            viewer.resetHistories();
        }
        ImGui.sameLine();
        if (ImGui.checkbox("loop", s.loop)) {
            s.loop = !s.loop;
        }
        int[] f = {s.frameIndex};
        if (ImGui.sliderInt("frame", f, 0, viewer.source.frameCount() - 1)) {
            viewer.seek(f[0]);
        }
        float[] speed = {s.speed};
        if (ImGui.sliderFloat("speed", speed, 0.1f, 4f, "%.2fx")) {
            s.speed = speed[0];
        }
        if (ImGui.checkbox("keep the UI responsive", s.timeSlice)) {
            s.timeSlice = !s.timeSlice;
        }
        if (ImGui.isItemHovered()) {
            ImGui.setTooltip("Spread each frame's work (networks layer by layer, convolutions in row bands of about "
                    + (s.stepMacs >> 20) + " M multiply-adds) over UI frames of about " + (int) s.sliceMs
                    + " ms, so zoom, pan and the panel answer while networks run; the next frame starts once every "
                    + "shown method has its result (same images and metrics).");
        }
        int[] progress = viewer.workProgress();
        if (viewer.frameInProgress() >= 0) {
            ImGui.sameLine();
            ImGui.textDisabled(String.format(java.util.Locale.ROOT, "frame %d: step %d of %d",
                    viewer.frameInProgress(), progress[0], progress[1]));
        }
    }

    private void layoutSection(ViewerState s) {
        if (!ImGui.collapsingHeader("Layout", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        for (int i = 0; i < LAYOUTS.length; i++) {
            Layout l = Layout.valueOf(LAYOUTS[i]);
            if (i > 0) {
                ImGui.sameLine();
            }
            if (ImGui.radioButton(l.label, s.layout == l)) {
                s.layout = l;
            }
        }
        List<String> contents = contents();
        String[] items = contents.toArray(new String[0]);
        if (s.layout == Layout.SPLIT || s.layout == Layout.FLICKER) {
            s.splitLeft = pick(s.layout == Layout.SPLIT ? "left" : "A", s.splitLeft, contents, items);
            s.splitRight = pick(s.layout == Layout.SPLIT ? "right" : "B", s.splitRight, contents, items);
            if (s.layout == Layout.SPLIT) {
                float[] d = {s.divider};
                if (ImGui.sliderFloat("divider", d, 0f, 1f)) {
                    s.divider = d[0];
                }
            } else {
                int[] ms = {s.flickerMs};
                if (ImGui.sliderInt("flicker ms", ms, 100, 2000)) {
                    s.flickerMs = ms[0];
                }
            }
        } else if (s.layout == Layout.SOLO) {
            s.solo = pick("view", s.solo, contents, items);
        } else {
            int n = s.layout == Layout.PAIR ? 2 : 4;
            for (int i = 0; i < n; i++) {
                s.views[i] = pick("view " + (i + 1), s.views[i], contents, items);
            }
        }
        if (ImGui.button("fit (F)")) {
            s.fit = true;
            s.panX = Float.NaN;
        }
        ImGui.sameLine();
        if (ImGui.button("1:1")) {
            s.fit = false;
            s.zoom = 1;
        }
        ImGui.sameLine();
        float[] z = {s.fit ? 0 : s.zoom};
        if (ImGui.sliderFloat("zoom", z, 0.25f, 32f, s.fit ? "fit" : "%.2fx")) {
            s.fit = false;
            s.zoom = Math.max(0.25f, z[0]);
        }
    }

    private static String pick(String label, String value, List<String> contents, String[] items) {
        ImInt i = new ImInt(Math.max(0, contents.indexOf(value)));
        ImGui.combo(label, i, items);
        return contents.get(i.get());
    }

    private void displaySection(ViewerState s) {
        if (!ImGui.collapsingHeader("Display", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        float[] e = {s.exposure};
        if (ImGui.sliderFloat("exposure", e, -8f, 8f, "%.1f stops")) {
            s.exposure = e[0];
        }
        DisplayEncoding[] encodings = DisplayEncoding.values();
        String[] names = new String[encodings.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = encodings[i].id();
        }
        ImInt enc = new ImInt(s.encoding.ordinal());
        if (ImGui.combo("metric encoding", enc, names)) {
            s.encoding = encodings[enc.get()];
            viewer.resetHistories(); // numbers in another encoding do not average with the old ones
        }
        float[] es = {s.errorScale};
        if (ImGui.sliderFloat("error scale", es, 0.005f, 0.5f, "%.3f")) {
            s.errorScale = es[0];
        }
        if (ImGui.checkbox("magnifier", s.magnifier)) {
            s.magnifier = !s.magnifier;
        }
        ImGui.sameLine();
        int[] mz = {s.magnifierZoom};
        if (ImGui.sliderInt("lens zoom", mz, 2, 32)) {
            s.magnifierZoom = mz[0];
        }
        if (ImGui.button("screenshot (S)")) {
            viewer.requestScreenshot(Path.of(String.format(Locale.ROOT, "reconview-%s-%04d.png", viewer.source.name(),
                    s.frameIndex)));
        }
        ImGui.sameLine();
        if (ImGui.button("export views (EXR)")) {
            try {
                List<Path> files = viewer.exportViews(Path.of("."));
                notice("exported " + files.size() + " views of frame " + s.frameIndex + " as linear EXR: "
                        + files.stream().map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors
                                .joining(", ")));
            } catch (org.reconview.UserException failure) {
                s.error = failure.getMessage();
            }
        }
        if (ImGui.isItemHovered()) {
            ImGui.setTooltip("Every view on screen, this frame: methods, input and reference as linear RGBA EXR, maps as"
                    + " one channel of their values (tev, FLIP and compare open them)");
        }
        ImGui.sameLine();
        if (ImGui.button("export metrics CSV")) {
            exportCsv(Path.of(String.format(Locale.ROOT, "reconview-%s-metrics.csv", viewer.source.name())));
        }
    }

    /** A method's backend (--backend's choice at start): GLSL, or CUDA where it can run here. */
    private void backendChoice(String method) {
        CudaBackend.Availability a = viewer.cudaAvailability();
        ImInt choice = new ImInt(viewer.qwnetBackend() == Backend.CUDA ? 1 : 0);
        String[] items = {"glsl (compute shaders)", a.available() ? "cuda (" + a.device() + ")" : "cuda (unavailable)"};
        if (ImGui.combo(method + " backend", choice, items)) {
            viewer.requestQwnetBackend(choice.get() == 1 ? Backend.CUDA : Backend.GLSL);
        }
        if (!a.available()) {
            ImGui.textDisabled("cuda: " + a.reason());
        }
        if (viewer.backendError != null) {
            ImGui.textColored(1f, 0.4f, 0.4f, 1f, viewer.backendError);
        }
    }

    private void methodsSection() {
        if (!ImGui.collapsingHeader("Methods", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        for (MethodSlot slot : viewer.slots) {
            if (!slot.available()) {
                ImGui.textDisabled(slot.name + ": not available: " + slot.unavailable);
                continue;
            }
            ImGui.pushID(slot.name);
            slot.reconstructor.drawUi(WIDGETS);
            if (slot.reconstructor.hasBackendChoice()) {
                backendChoice(slot.name);
            }
            ImGui.popID();
        }
    }

    /** The methods' controls drawn with ImGui. */
    private static final Widgets WIDGETS = new Widgets() {
        @Override
        public void text(String text) {
            ImGui.textWrapped(text);
        }

        @Override
        public float slider(String label, float value, float lo, float hi) {
            float[] v = {value};
            ImGui.sliderFloat(label, v, lo, hi);
            return v[0];
        }

        @Override
        public int combo(String label, int index, String[] items) {
            ImInt v = new ImInt(index);
            ImGui.combo(label, v, items);
            return v.get();
        }

        @Override
        public boolean checkbox(String label, boolean value) {
            return ImGui.checkbox(label, value) != value;
        }

        @Override
        public void sameLine() {
            ImGui.sameLine();
        }
    };

    private void metricsSection() {
        if (!ImGui.collapsingHeader("Metrics", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        ImGui.textDisabled("encoding " + viewer.state.encoding.id() + "; mean since the last reset");
        if (ImGui.checkbox("measure methods not on screen too", viewer.state.measureAll)) {
            viewer.state.measureAll = !viewer.state.measureAll;
        }
        for (FrameMetric m : METRICS) {
            boolean on = viewer.state.metrics.contains(m.id());
            if (ImGui.checkbox(m.title() + "##metric-" + m.id(), on)) {
                if (on) {
                    viewer.state.metrics.remove(m.id());
                } else {
                    viewer.state.metrics.add(m.id());
                }
            }
            ImGui.sameLine();
        }
        ImGui.newLine();
        List<FrameMetric> shown = METRICS.stream().filter(m -> viewer.state.metrics.contains(m.id())).toList();
        if (ImGui.beginTable("metrics", 2 + 2 * shown.size(), ImGuiTableFlags.Borders | ImGuiTableFlags.RowBg)) {
            ImGui.tableSetupColumn("method");
            for (FrameMetric m : shown) {
                ImGui.tableSetupColumn(m.title());
                ImGui.tableSetupColumn("mean " + m.title());
            }
            ImGui.tableSetupColumn("bits");
            ImGui.tableHeadersRow();
            for (MethodSlot slot : viewer.slots) {
                if (!slot.available() || slot.name.equals("reference") || slot.history.count == 0) {
                    continue;
                }
                ImGui.tableNextRow();
                ImGui.tableNextColumn();
                ImGui.text(slot.name);
                for (FrameMetric m : shown) {
                    ImGui.tableNextColumn();
                    ImGui.text(value(m, slot.history.last(m.id())));
                    ImGui.tableNextColumn();
                    ImGui.text(value(m, slot.history.mean(m.id())));
                }
                ImGui.tableNextColumn();
                double b = slot.history.lastBits();
                ImGui.text(Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2f", b));
                if (!Double.isNaN(b) && ImGui.isItemHovered()) {
                    ImGui.setTooltip(String.format(Locale.ROOT, "MAC-weighted activation bits of the 4-bit-weight "
                            + "convs; %.3g BitOPs this frame", slot.history.lastBitops()));
                }
            }
            ImGui.endTable();
        }
    }

    /** Every registered metric, for names, units and directions (no GPU work). */
    private static final List<FrameMetric> METRICS = FrameMetrics.describe();

    /** A metric's value for the table: dB to 2 places, "-" where none, "inf" for identical images. */
    static String value(FrameMetric m, double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return m.unit().equals("dB") ? db(v) : String.format(Locale.ROOT, "%.4f", v);
    }

    static String db(double v) {
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.2f", v);
    }

    private void plotsSection() {
        if (!ImGui.collapsingHeader("Plots", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        for (FrameMetric m : METRICS) {
            if (viewer.state.metrics.contains(m.id())) {
                plot(m.unit().isEmpty() ? m.title() : m.title() + " (" + m.unit() + ")", m.id());
            }
        }
        plot("average bits (networks)", MetricHistory.BITS);
    }

    private void plot(String title, String id) {
        if (ImPlot.beginPlot(title, viewer.panelWidth - 24, 150)) {
            ImPlot.setupAxes("frame", null, imgui.extension.implot.flag.ImPlotAxisFlags.AutoFit,
                    imgui.extension.implot.flag.ImPlotAxisFlags.AutoFit);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (MethodSlot slot : viewer.slots) {
                MetricHistory h = slot.history;
                if (!slot.available() || slot.name.equals("reference") || h.count == 0) {
                    continue;
                }
                double[] ys = h.series(id);
                if (ys == null || Double.isNaN(h.last(id))) {
                    continue;
                }
                int from = Math.max(0, h.count - 600); // the last 20 s at 30 fps scroll by
                double[] x = java.util.Arrays.copyOfRange(h.frame, from, h.count);
                double[] y = java.util.Arrays.copyOfRange(ys, from, h.count);
                for (double v : y) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
                ImPlot.plotLine(slot.name, x, y, x.length);
            }
            for (int cut : viewer.cuts) {
                if (Double.isFinite(lo)) {
                    ImPlot.plotLine("##cut" + cut, new double[] {cut, cut}, new double[] {lo, hi}, 2);
                }
            }
            ImPlot.endPlot();
        }
    }

    private void profilesSection(ViewerState s) {
        if (!ImGui.collapsingHeader("Temporal profiles", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        if (ImGui.radioButton("row", s.profileAxis == TemporalProfile.Axis.ROW)
                && s.profileAxis != TemporalProfile.Axis.ROW) {
            s.profileAxis = TemporalProfile.Axis.ROW;
            s.profileIndex = viewer.source.height() / 2;
            viewer.clearProfiles();
        }
        ImGui.sameLine();
        if (ImGui.radioButton("column", s.profileAxis == TemporalProfile.Axis.COLUMN)
                && s.profileAxis != TemporalProfile.Axis.COLUMN) {
            s.profileAxis = TemporalProfile.Axis.COLUMN;
            s.profileIndex = viewer.source.width() / 2;
            viewer.clearProfiles();
        }
        ImGui.sameLine();
        ImGui.textDisabled("(click a view to pick)");
        int limit = (s.profileAxis == TemporalProfile.Axis.ROW ? viewer.source.height() : viewer.source.width()) - 1;
        int[] index = {Math.max(0, s.profileIndex)};
        if (ImGui.sliderInt(s.profileAxis == TemporalProfile.Axis.ROW ? "row" : "column", index, 0, limit)) {
            s.profileIndex = index[0];
            viewer.clearProfiles();
        }
        if (profilesDirty) {
            updateProfileTextures();
        }
        float w = (viewer.panelWidth - 40) / (float) Math.max(1, profileTextures.size());
        int i = 0;
        for (Map.Entry<String, Texture2D> e : profileTextures.entrySet()) {
            if (i++ > 0) {
                ImGui.sameLine();
            }
            ImGui.beginGroup();
            ImGui.text(e.getKey());
            ImGui.image(e.getValue().id(), w - 4, PROFILE_ROWS * 0.6f);
            ImGui.endGroup();
        }
        if (ImGui.button("export profiles PNG")) {
            for (Map.Entry<String, TemporalProfile> e : viewer.profiles.entrySet()) {
                Path file = Path.of(String.format(Locale.ROOT, "reconview-%s-profile-%s.png", viewer.source.name(), e.getKey()));
                try {
                    Rgb8.writePng(file, e.getValue().image());
                    notice("profiles: " + file.toAbsolutePath().getParent());
                } catch (UserException ex) {
                    viewer.state.error = ex.getMessage();
                }
            }
        }
    }

    /**
     * The last PROFILE_ROWS lines of each profile, newest at the bottom, as 8-bit display textures: one texture per
     * profile, re-uploaded in place (recreated only when the line length changes).
     */
    private void updateProfileTextures() {
        profilesDirty = false;
        profileTextures.entrySet().removeIf(e -> {
            TemporalProfile p = viewer.profiles.get(e.getKey());
            boolean stale = p == null || p.frames() == 0 || p.length() != e.getValue().width();
            if (stale) {
                e.getValue().close();
            }
            return stale;
        });
        for (Map.Entry<String, TemporalProfile> e : viewer.profiles.entrySet()) {
            if (e.getValue().frames() == 0) {
                continue;
            }
            FloatImage tail = e.getValue().tail(PROFILE_ROWS);
            byte[] rgb = Rgb8.fromLinear(tail);
            ByteBuffer buf = MemoryUtil.memAlloc(tail.width * PROFILE_ROWS * 4);
            try {
                for (int p = 0; p < tail.width * PROFILE_ROWS; p++) {
                    buf.put(rgb[3 * p]).put(rgb[3 * p + 1]).put(rgb[3 * p + 2]).put((byte) 255);
                }
                buf.flip();
                profileTextures.computeIfAbsent(e.getKey(), k -> new Texture2D(tail.width, PROFILE_ROWS, Texture2D.RGBA8))
                        .upload(buf, 4);
            } finally {
                MemoryUtil.memFree(buf);
            }
        }
    }

    private void timingsSection() {
        if (!ImGui.collapsingHeader("Timings", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        ImGui.textDisabled(viewer.timer.method());
        double max = 1;
        for (double v : viewer.timer.smoothedMs().values()) {
            max = Math.max(max, v);
        }
        for (Map.Entry<String, Double> e : viewer.timer.smoothedMs().entrySet()) {
            ImGui.progressBar((float) (e.getValue() / max), viewer.panelWidth - 190, 0,
                    String.format(Locale.ROOT, "%.2f ms", e.getValue()));
            ImGui.sameLine();
            ImGui.text(e.getKey());
        }
        ImGui.text(String.format(Locale.ROOT, "whole viewer frame: %.1f ms", viewer.uiFrameMs));
    }

    private void inspectorSection() {
        if (!ImGui.collapsingHeader("Pixel inspector", ImGuiTreeNodeFlags.DefaultOpen)) {
            return;
        }
        float mx = ImGui.getIO().getMousePosX();
        float my = ImGui.getIO().getMousePosY();
        ViewPainter.View v = viewer.viewAt(mx, my);
        if (v == null || viewer.currentFrame() == null) {
            ImGui.textDisabled("hover a view");
            return;
        }
        int[] p = viewer.imagePixel(v, mx, my);
        if (p[0] < 0 || p[1] < 0 || p[0] >= viewer.source.width() || p[1] >= viewer.source.height()) {
            ImGui.textDisabled("outside the image");
            return;
        }
        ImGui.text("pixel " + p[0] + ", " + p[1] + " (linear RGB)");
        for (MethodSlot slot : viewer.slots) {
            if (slot.available() && slot.output != null) {
                float[] c = slot.output.download(p[0], p[1], 1, 1, 4);
                ImGui.text(String.format(Locale.ROOT, "%-10s %9.4f %9.4f %9.4f", slot.name, c[0], c[1], c[2]));
            }
        }
        float[] m = viewer.currentFrame().motion().download(p[0], p[1], 1, 1, 2);
        ImGui.text(String.format(Locale.ROOT, "%-10s %9.3f %9.3f px", "motion", m[0], m[1]));
    }

    /** The viewer's per-frame numbers as eval's frames.csv lays out its metric columns (every registered id). */
    void exportCsv(Path file) {
        List<String> ids = FrameMetrics.ids();
        StringBuilder sb = new StringBuilder("frame,method,encoding," + String.join(",", ids) + "\n");
        for (MethodSlot slot : viewer.slots) {
            MetricHistory h = slot.history;
            for (int i = 0; i < h.count; i++) {
                sb.append((int) h.frame[i]).append(',').append(slot.name).append(',')
                        .append(viewer.state.encoding.id());
                for (String id : ids) {
                    double[] a = h.series(id);
                    double v = a == null ? Double.NaN : a[i];
                    sb.append(',').append(Double.isNaN(v) ? "" : Double.isInfinite(v) ? "inf"
                            : String.format(Locale.ROOT, "%.6f", v));
                }
                sb.append('\n');
            }
        }
        try {
            TextFiles.writeAtomic(file, sb.toString());
            notice("metrics: " + file.toAbsolutePath().normalize());
        } catch (UserException e) {
            viewer.state.error = e.getMessage();
        }
    }

    @Override
    public void close() {
        profileTextures.values().forEach(Texture2D::close);
    }
}
