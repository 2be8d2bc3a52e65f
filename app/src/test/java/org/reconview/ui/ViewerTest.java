package org.reconview.ui;

import static org.junit.jupiter.api.Assertions.*;

import imgui.ImGui;
import imgui.flag.ImGuiKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.gl.GlContext;
import org.reconview.io.FloatImage;
import org.reconview.io.PngImages;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.Flip;
import org.reconview.metrics.FrameMetrics;
import org.reconview.metrics.Psnr;
import org.reconview.metrics.Ssim;
import org.reconview.recon.Methods;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.source.LiveFrameSource;

/** The viewer under Xvfb, driven frame by frame through ImGui input events as a user would drive it. */
class ViewerTest {
    static final int W = 96;
    static final int H = 64;
    static final int WINDOW_W = 900;
    static final int WINDOW_H = 420;

    GlContext gl;
    Viewer viewer;
    /** Input events for the coming frames, one batch per frame. */
    final Deque<Consumer<imgui.ImGuiIO>> script = new ArrayDeque<>();

    @BeforeEach
    void open() {
        GlTest.context();
        gl = GlContext.create(WINDOW_W, WINDOW_H, false, "viewer test");
        viewer = new Viewer(gl, new LiveFrameSource(BuiltinScenes.build("courtyard", 0), W, H, 8, 16),
                "courtyard", 8, 0, Methods.Config.defaults(), true);
        viewer.beforeFrame = v -> {
            Consumer<imgui.ImGuiIO> step = script.poll();
            if (step != null) {
                step.accept(ImGui.getIO());
            }
        };
        viewer.state.playing = false;
        viewer.state.timeSlice = false; // the tests below that want it switch it on
    }

    @AfterEach
    void close() {
        viewer.close();
        gl.close();
        GlTest.context();
    }

    void frames(int n) {
        for (int i = 0; i < n; i++) {
            viewer.runFrame();
        }
    }

    void key(int imguiKey) {
        script.add(io -> io.addKeyEvent(imguiKey, true));
        script.add(io -> io.addKeyEvent(imguiKey, false));
        frames(2);
    }

    void click(float x, float y) {
        script.add(io -> io.addMousePosEvent(x, y));
        script.add(io -> io.addMouseButtonEvent(0, true));
        script.add(io -> io.addMouseButtonEvent(0, false));
        frames(3);
    }

    static FloatImage download(org.reconview.gl.Texture2D t) {
        return new FloatImage(t.width(), t.height(), 4, t.download(4));
    }

    /**
     * Largest 8-bit difference between a view's pixels and the texture shown through the sRGB display curve, over
     * the view's pixels that show an image texel (the viewer's own mapping), apart from the overlay corner and the
     * first {@code skipRows} image rows.
     */
    int viewMismatch(FloatImage shot, ViewPainter.View v, FloatImage image, int skipRows) {
        int worst = 0;
        int compared = 0;
        for (int y = v.y() + 48; y < v.y() + v.h(); y++) {
            for (int x = v.x(); x < v.x() + v.w(); x++) {
                int[] t = viewer.imagePixel(v, x, y);
                if (t[0] < 0 || t[1] < skipRows || t[0] >= W || t[1] >= H) {
                    continue;
                }
                compared++;
                for (int c = 0; c < 3; c++) {
                    int expected = (int) Math.round(Math.min(1, Math.max(0,
                            DisplayEncoding.SRGB.encode(image.get(t[0], t[1], c)))) * 255);
                    int shown = Math.round(shot.get(x, y, c) * 255);
                    worst = Math.max(worst, Math.abs(expected - shown));
                }
            }
        }
        assertTrue(compared > W * H / 3, "compared " + compared + " pixels");
        return worst;
    }

    @Test
    void gridScreenshotShowsEachMethodWhereTheLayoutPutsIt(@TempDir Path tmp) {
        viewer.state.fit = false;
        viewer.state.zoom = 1f;
        viewer.state.profileIndex = 0; // the tinted profile line on row 0, skipped below
        frames(3);
        Path png = tmp.resolve("grid.png");
        viewer.screenshotNow(png);
        FloatImage shot = PngImages.read8(png);
        assertEquals(WINDOW_W, shot.width);
        assertEquals(WINDOW_H, shot.height);
        assertEquals(4, viewer.views().size());
        ViewPainter.View taaView = viewer.views().get(0);
        ViewPainter.View unetView = viewer.views().get(1);
        ViewPainter.View qwnetView = viewer.views().get(2);
        ViewPainter.View referenceView = viewer.views().get(3);
        assertEquals("taa", taaView.content());
        assertEquals("reference", referenceView.content());
        for (ViewPainter.View v : viewer.views()) {
            assertTrue(v.x() + v.w() <= WINDOW_W - viewer.panelWidth, "views stay left of the panel");
        }
        // Each view shows its method's output, read back directly, through the display curve.
        assertTrue(viewMismatch(shot, taaView, download(viewer.slot("taa").output), 1) <= 1, "taa view");
        assertTrue(viewMismatch(shot, referenceView, download(viewer.currentFrame().reference()), 1) <= 1,
                "reference view");
        assertTrue(viewMismatch(shot, unetView, download(viewer.slot("unet").output), 1) <= 1, "unet view");
        // ... and views of different methods differ.
        assertTrue(viewMismatch(shot, taaView, download(viewer.currentFrame().reference()), 1) > 8,
                "taa and reference views differ");
        assertEquals("qwnet", qwnetView.content());
        assertTrue(viewMismatch(shot, qwnetView, download(viewer.slot("qwnet").output), 1) <= 1, "qwnet view");
        // The panel: widgets (ImGui's blue frames) fill the right-hand strip.
        int blue = 0;
        for (int y = 0; y < WINDOW_H; y++) {
            for (int x = WINDOW_W - viewer.panelWidth; x < WINDOW_W; x++) {
                if (shot.get(x, y, 2) > shot.get(x, y, 0) + 0.12f) {
                    blue++;
                }
            }
        }
        assertTrue(blue > 2000, "panel widgets: " + blue);
    }

    @Test
    void overlayNumbersAreTheMetricModulesNumbers() {
        frames(4);
        FloatImage taa = download(viewer.slot("taa").output);
        FloatImage reference = download(viewer.currentFrame().reference());
        double psnr = Psnr.psnr(taa, reference, DisplayEncoding.PQ);
        double ssim = Ssim.ssim(taa, reference, DisplayEncoding.PQ);
        MetricHistory h = viewer.slot("taa").history;
        assertEquals(psnr, h.lastPsnr(), 1e-3);
        assertEquals(ssim, h.lastSsim(), 1e-5);
        String overlay = ViewPainter.numbers(h.lastPsnr(), h.lastSsim());
        assertTrue(overlay.contains(String.format(java.util.Locale.ROOT, "%.2f dB", psnr)), overlay);
        assertTrue(overlay.contains(String.format(java.util.Locale.ROOT, "%.4f", ssim)), overlay);
    }

    @Test
    void aMetricSwitchedOnInThePanelIsMeasuredPlottedAndExported(@TempDir Path tmp) throws Exception {
        frames(2);
        assertTrue(Double.isNaN(viewer.slot("taa").history.last("ldr_flip")), "FLIP is off by default");
        viewer.state.metrics.add("ldr_flip");
        viewer.step();
        frames(1);
        FloatImage taa = download(viewer.slot("taa").output);
        FloatImage reference = download(viewer.currentFrame().reference());
        double flip = Flip.ldrMean(DisplayEncoding.PQ.encode(taa),
                DisplayEncoding.PQ.encode(reference), Flip.DEFAULT_PPD);
        assertEquals(flip, viewer.slot("taa").history.last("ldr_flip"), 1e-4, "the golden FLIP of the shown frame");
        assertTrue(flip > 0.005, "taa differs from the reference: " + flip);
        Path csv = tmp.resolve("metrics.csv");
        viewer.panel().exportCsv(csv);
        java.util.List<String> lines = Files.readAllLines(csv);
        assertEquals("frame,method,encoding," + String.join(",", FrameMetrics.ids()), lines.get(0),
                "every registered metric has a column");
        int col = 3 + FrameMetrics.ids().indexOf("ldr_flip");
        String last = lines.stream().filter(l -> l.split(",", -1)[1].equals("taa")).reduce((a, b) -> b).orElseThrow();
        assertEquals(flip, Double.parseDouble(last.split(",", -1)[col]), 1e-4, last);
    }

    /** Every shown method's output and metric history after three stepped frames. */
    java.util.Map<String, Object[]> threeFrames() {
        java.util.Map<String, Object[]> out = new java.util.LinkedHashMap<>();
        viewer.seek(0);
        frames(1);
        for (int k = 0; k < 2; k++) {
            viewer.step();
            frames(1);
            for (int guard = 0; viewer.frameInProgress() >= 0; guard++) {
                assertTrue(guard < 10000, "frame work never ends");
                frames(1);
            }
        }
        for (String m : new String[] {"taa", "unet", "qwnet"}) {
            MethodSlot slot = viewer.slot(m);
            assertEquals(2, slot.outputFrame, m);
            out.put(m, new Object[] {download(slot.output).data, slot.history.lastPsnr(), slot.history.lastSsim(),
                slot.history.count});
        }
        return out;
    }

    @Test
    void timeSlicingGivesTheSameImagesAndMetrics() {
        java.util.Map<String, Object[]> whole = threeFrames();
        viewer.state.timeSlice = true;
        viewer.state.sliceMs = 0.01; // about one step per UI frame: the most interleaving with UI drawing
        java.util.Map<String, Object[]> sliced = threeFrames();
        for (String m : whole.keySet()) {
            assertArrayEquals((float[]) whole.get(m)[0], (float[]) sliced.get(m)[0], m + " output");
            for (int i = 1; i < 4; i++) {
                assertEquals(whole.get(m)[i], sliced.get(m)[i], m + " history " + i);
            }
        }
    }

    /**
     * The viewer and eval share one frame-measuring loop (SequenceMeasurer): over the same three frames, each
     * method's last PSNR, SSIM and temporal error in the viewer are eval's numbers for frame 2.
     */
    @Test
    void theViewerMeasuresEachFrameAsEvalDoes() {
        threeFrames();
        java.util.List<String> methods = java.util.List.of("taa", "qwnet");
        java.util.List<String> ids = java.util.List.of("psnr", "ssim", "temporal_error");
        try (org.reconview.source.FrameSource src = new LiveFrameSource(BuiltinScenes.build("courtyard", 0), W, H, 8,
                16);
                org.reconview.eval.Evaluator ev = new org.reconview.eval.Evaluator(src,
                        new org.reconview.eval.Evaluator.Options(methods, Methods.Config.defaults(),
                                viewer.state.encoding, 0, 3, org.reconview.metrics.TemporalProfile.Axis.ROW, H / 2,
                                java.util.Set.of(), new int[] {0, 0, 8, 8}, ids))) {
            org.reconview.eval.Evaluator.Result r = ev.run(i -> { });
            for (String m : methods) {
                org.reconview.eval.Evaluator.FrameResult row = r.rows().stream()
                        .filter(x -> x.frame() == 2 && x.method().equals(m)).findFirst().orElseThrow();
                for (String id : ids) {
                    double mine = viewer.slot(m).history.last(id);
                    assertFalse(Double.isNaN(mine), m + " " + id + " measured in the viewer");
                    assertEquals(row.metric(id), mine, Math.abs(row.metric(id)) * 1e-6, m + " " + id);
                }
            }
        }
    }

    @Test
    void theUiKeepsDrawingAndAnsweringWhileNetworksRun() {
        frames(1); // frame 0, whole
        viewer.state.timeSlice = true;
        viewer.state.sliceMs = 0.01;
        viewer.state.fit = false;
        viewer.state.zoom = 1f;
        viewer.state.panX = 0;
        viewer.state.panY = 0;
        MethodSlot qwnet = viewer.slot("qwnet");
        assertEquals(0, qwnet.outputFrame);
        viewer.step();
        int uiFrames = 0;
        float panBefore = viewer.state.panX;
        ViewPainter.View v = viewer.views().get(0);
        float cx = v.x() + v.w() / 2f;
        float cy = v.y() + v.h() / 2f;
        script.add(io -> {
            io.addMousePosEvent(cx, cy);
            io.addMouseButtonEvent(0, true);
        });
        float previousPan = panBefore;
        while (qwnet.outputFrame != 1) {
            assertTrue(uiFrames < 10000, "qwnet never finished frame 1");
            float x = uiFrames % 2 == 0 ? cx - 3 : cx; // drag 3 px left, then back, every UI frame
            script.add(io -> io.addMousePosEvent(x, cy));
            frames(1);
            uiFrames++;
            if (qwnet.outputFrame != 1) {
                assertEquals(1, viewer.frameInProgress(), "frame 1's work is under way");
            }
            if (uiFrames > 1) {
                // each UI frame applied its drag (zoom 1: 3 px of drag is 3 image pixels of pan)
                assertEquals(3f, Math.abs(viewer.state.panX - previousPan), 1e-3f, "pan in UI frame " + uiFrames);
            }
            previousPan = viewer.state.panX;
        }
        assertTrue(uiFrames > 5, "UI frames between two network results: " + uiFrames);
        script.add(io -> io.addMouseButtonEvent(0, false));
        frames(1);
    }

    @Test
    void exportWritesEveryViewAsLinearExr(@TempDir Path tmp) {
        viewer.state.views[1] = "error:taa";
        viewer.state.views[2] = "signed:taa";
        frames(1);
        java.util.List<Path> files = viewer.exportViews(tmp);
        assertEquals(4, files.size(), files::toString);
        FloatImage taa = download(viewer.slot("taa").output);
        FloatImage reference = download(viewer.currentFrame().reference());
        FloatImage exported = org.reconview.io.ExrImages.read(files.get(0), "R", "G", "B", "A");
        assertTrue(files.get(0).getFileName().toString().endsWith("-taa.exr"), files.get(0).toString());
        assertArrayEquals(taa.data, exported.data, "taa's linear output, exactly");
        assertArrayEquals(reference.data, org.reconview.io.ExrImages.read(files.get(3), "R", "G", "B", "A").data,
                "the reference");
        double[] abs = org.reconview.eval.ErrorMaps.map("abs", taa, reference, viewer.state.encoding);
        double[] signed = org.reconview.eval.ErrorMaps.map("signed", taa, reference, viewer.state.encoding);
        FloatImage absFile = org.reconview.io.ExrImages.read(files.get(1), "Y");
        FloatImage signedFile = org.reconview.io.ExrImages.read(files.get(2), "Y");
        boolean negative = false;
        for (int i = 0; i < abs.length; i++) {
            assertEquals(abs[i], absFile.data[i], 1e-6, "error map value " + i);
            assertEquals(signed[i], signedFile.data[i], 1e-6, "signed value " + i);
            negative |= signedFile.data[i] < 0;
        }
        assertTrue(negative, "signed values keep their sign");
    }

    /**
     * Saves a screenshot to {@code png} and compares every third pixel of the solo view that shows an image pixel
     * (below the overlay, above the colour bar, off the tinted profile row, where {@code golden} is a number) with
     * magma({@code value}(golden)): {pixels compared, pixels off by more than 2/255}.
     */
    int[] soloViewAgainstMagma(Path png, double[] golden, java.util.function.DoubleUnaryOperator value) {
        viewer.screenshotNow(png);
        FloatImage shot = PngImages.read8(png);
        ViewPainter.View v = viewer.views().get(0);
        int compared = 0;
        int bad = 0;
        for (int y = v.y() + 48; y < v.y() + v.h() - 60; y += 3) {
            for (int x = v.x(); x < v.x() + v.w(); x += 3) {
                int[] t = viewer.imagePixel(v, x, y);
                if (t[0] < 0 || t[1] < 0 || t[0] >= W || t[1] >= H || t[1] == viewer.state.profileIndex
                        || Double.isNaN(golden[t[1] * W + t[0]])) {
                    continue;
                }
                float[] expected = org.reconview.color.ColorMap.MAGMA.rgb(value.applyAsDouble(golden[t[1] * W + t[0]]));
                compared++;
                for (int c = 0; c < 3; c++) {
                    if (Math.abs(Math.round(expected[c] * 255) - Math.round(shot.get(x, y, c) * 255)) > 2) {
                        bad++;
                        break;
                    }
                }
            }
        }
        return new int[] {compared, bad};
    }

    @Test
    void theSsimViewShowsTheGoldenSsimMapThroughMagma(@TempDir Path tmp) {
        viewer.state.layout = Layout.SOLO;
        viewer.state.solo = "ssim:taa";
        viewer.state.fit = false;
        viewer.state.zoom = 1f;
        frames(2);
        assertTrue(viewer.panel().contents().contains("ssim:taa"));
        FloatImage taa = download(viewer.slot("taa").output);
        FloatImage reference = download(viewer.currentFrame().reference());
        double[] golden = Ssim.map(taa, reference, DisplayEncoding.PQ);
        FloatImage map = download(viewer.textureOf("ssim:taa"));
        double worst = 0;
        int valid = 0;
        for (int i = 0; i < W * H; i++) {
            assertEquals(Double.isNaN(golden[i]), Float.isNaN(map.data[i * 4]), "border at " + i);
            if (!Double.isNaN(golden[i])) {
                worst = Math.max(worst, Math.abs(golden[i] - map.data[i * 4]));
                valid++;
            }
        }
        assertTrue(valid > W * H / 2 && worst < 1e-4, "the view's map is the golden SSIM map: " + worst);
        int[] r = soloViewAgainstMagma(tmp.resolve("ssim.png"), golden, g -> 1 - g);
        int compared = r[0];
        int bad = r[1];
        assertTrue(compared > 200, "pixels compared: " + compared);
        assertEquals(0, bad, "pixels off magma(1 - SSIM) by more than 2/255, of " + compared);
    }

    @Test
    void theRelativeErrorViewIsTheGoldenMapThroughMagma(@TempDir Path tmp) {
        viewer.state.layout = Layout.SOLO;
        viewer.state.solo = "rel:taa";
        viewer.state.fit = false;
        viewer.state.zoom = 1f;
        viewer.state.errorScale = 0.5f;
        frames(2);
        assertTrue(viewer.panel().contents().contains("rel:taa"));
        FloatImage taa = download(viewer.slot("taa").output);
        FloatImage reference = download(viewer.currentFrame().reference());
        double[] golden = org.reconview.eval.ErrorMaps.map("rel", taa, reference, DisplayEncoding.PQ);
        int[] r = soloViewAgainstMagma(tmp.resolve("rel.png"), golden, g -> g / 0.5);
        int compared = r[0];
        int bad = r[1];
        boolean varied = java.util.Arrays.stream(golden).anyMatch(g -> g > 0.05);
        assertTrue(compared > 200 && varied, "pixels compared: " + compared);
        assertEquals(0, bad, "pixels off magma(rel / scale) by more than 2/255, of " + compared);
    }

    @Test
    void keysAndClicksDriveLayoutSoloStepAndProfile() {
        frames(2);
        key(ImGuiKey._1);
        assertEquals(Layout.SOLO, viewer.state.layout);
        assertEquals("taa", viewer.state.solo);
        key(ImGuiKey._5);
        assertEquals("input", viewer.state.solo);
        key(ImGuiKey.G);
        assertEquals(Layout.GRID, viewer.state.layout);

        int before = viewer.state.frameIndex;
        key(ImGuiKey.RightArrow);
        assertEquals(before + 1, viewer.state.frameIndex, "right arrow steps one frame");
        key(ImGuiKey.Space);
        assertTrue(viewer.state.playing);
        key(ImGuiKey.Space);
        assertFalse(viewer.state.playing);

        // A click on the taa view picks the image row under the cursor for the temporal profiles.
        ViewPainter.View v = viewer.views().get(0);
        float x = v.x() + v.w() / 2; // ImGui floors mouse positions: use whole pixels
        float y = v.y() + v.h() * 3 / 4;
        int[] expected = viewer.imagePixel(v, x, y);
        click(x, y);
        assertEquals(expected[1], viewer.state.profileIndex);
        assertTrue(expected[1] > H / 2, "lower half of the image: " + expected[1]);
    }

    @Test
    void aMissingOrMalformedFolderIsAnErrorInThePanelAndTheViewerGoesOn(@TempDir Path tmp) throws Exception {
        frames(2);
        String sourceName = viewer.source.name();
        viewer.panel().openFolder(tmp.resolve("nowhere").toString());
        assertNotNull(viewer.state.error);
        assertTrue(viewer.state.error.contains("nowhere") && viewer.state.error.contains("not found"),
                viewer.state.error);
        Path bad = Files.createDirectory(tmp.resolve("bad"));
        Files.writeString(bad.resolve("sequence.json"), "{ this is not json");
        viewer.panel().openFolder(bad.toString());
        assertTrue(viewer.state.error.contains("sequence.json"), viewer.state.error);
        assertEquals(sourceName, viewer.source.name(), "the old source stays");
        viewer.state.playing = true;
        int before = viewer.state.frameIndex;
        frames(3);
        assertTrue(viewer.state.frameIndex > before, "still playing");
    }

    @Test
    void onlyMethodsOnScreenRunUnlessAllAreMeasured() {
        viewer.state.layout = Layout.SOLO;
        viewer.state.solo = "taa";
        viewer.step();
        frames(2);
        assertNotNull(viewer.slot("taa").output);
        assertNull(viewer.slot("unet").output, "unet is not on screen");
        assertNotNull(viewer.slot("input").output, "input and reference always run: they cost nothing");
        viewer.state.measureAll = true;
        viewer.step();
        frames(1);
        assertNotNull(viewer.slot("unet").output);
        assertEquals(1, viewer.slot("unet").history.count, "measured once since it started running");
    }

    /**
     * The panel's QW-Net backend choice: without an NVIDIA driver, CUDA is refused with the probe's reason at the next
     * frame and qwnet keeps running on GLSL (the same slot); AUTO and CPU cannot be chosen there; GLSL again is a no-op.
     */
    @Test
    void qwnetBackendChoiceRefusesCudaWithoutADriver() {
        org.junit.jupiter.api.Assumptions.assumeFalse(org.reconview.nn.cuda.CudaBackend.probe().available(),
                "a CUDA driver is here: the refusal cannot be observed");
        frames(1);
        MethodSlot before = viewer.slot("qwnet");
        assertEquals(org.reconview.nn.cuda.Backend.GLSL, viewer.qwnetBackend());
        viewer.requestQwnetBackend(org.reconview.nn.cuda.Backend.CUDA);
        frames(1);
        assertEquals("CUDA unavailable: " + org.reconview.nn.cuda.CudaBackend.probe().reason(), viewer.backendError);
        assertSame(before, viewer.slot("qwnet"));
        assertEquals(org.reconview.nn.cuda.Backend.GLSL, viewer.qwnetBackend());
        assertEquals("backend auto cannot be chosen in the viewer",
                viewer.setQwnetBackend(org.reconview.nn.cuda.Backend.AUTO));
        assertNull(viewer.setQwnetBackend(org.reconview.nn.cuda.Backend.GLSL));
        assertFalse(viewer.cudaAvailability().available());
    }

    @Test
    void theFlipViewShowsTheGoldenFlipMapThroughMagma(@TempDir Path tmp) {
        viewer.state.layout = Layout.SOLO;
        viewer.state.solo = "flip:taa";
        viewer.state.fit = false;
        viewer.state.zoom = 1f;
        frames(3);
        assertTrue(viewer.panel().contents().contains("flip:taa"));
        FloatImage taa = download(viewer.slot("taa").output);
        FloatImage reference = download(viewer.currentFrame().reference());
        FloatImage golden = Flip.ldrMap(DisplayEncoding.PQ.encode(taa), DisplayEncoding.PQ.encode(reference),
                Flip.DEFAULT_PPD);
        FloatImage map = download(viewer.textureOf("flip:taa"));
        double worst = 0;
        for (int i = 0; i < W * H; i++) {
            worst = Math.max(worst, Math.abs(golden.data[i] - map.data[i * 4]));
        }
        assertTrue(worst < 1e-3, "the view's map is the golden FLIP map: " + worst);
        double[] goldenMap = new double[W * H];
        for (int i = 0; i < W * H; i++) {
            goldenMap[i] = golden.data[i];
        }
        int[] r = soloViewAgainstMagma(tmp.resolve("flip.png"), goldenMap, g -> g);
        int compared = r[0];
        int bad = r[1];
        assertTrue(compared > 500, "pixels compared: " + compared);
        assertEquals(0, bad, "pixels off magma(FLIP) by more than 2/255, of " + compared);
    }

    @Test
    void theCadyqBitMapViewShowsEachTilesWidthAndThePanelItsAverage() {
        viewer.state.layout = Layout.SOLO;
        viewer.state.solo = "bits:qwnet-cadyq";
        frames(3);
        MethodSlot slot = viewer.slots.stream().filter(s -> s.name.equals("qwnet-cadyq")).findFirst().orElseThrow();
        assertTrue(slot.available(), "qwnet-cadyq runs live");
        assertEquals(4.0, slot.history.lastBits(), 1e-9, "untrained selectors: every tile at 4 bits");
        assertTrue(slot.history.lastBitops() > 0);
        FloatImage map = download(viewer.textureOf("bits:qwnet-cadyq"));
        assertEquals(W, map.width);
        for (int y = 0; y < map.height; y += 7) {
            for (int x = 0; x < map.width; x += 7) {
                assertEquals(4f, map.get(x, y, 0), 0f, "tile width at " + x + "," + y);
            }
        }
        assertTrue(viewer.panel().contents().contains("bits:qwnet-cadyq"));
        MethodSlot input = viewer.slots.stream().filter(s -> s.name.equals("input")).findFirst().orElseThrow();
        assertTrue(input.history.count > 0 && Double.isNaN(input.history.lastBits()), "the input has no bits");
    }
}
