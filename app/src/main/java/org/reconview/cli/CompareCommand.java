package org.reconview.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.gl.GlContext;
import org.reconview.metrics.ImageComparison;
import org.reconview.recon.Methods;
import org.reconview.source.PairSource;
import org.reconview.ui.Layout;
import org.reconview.ui.Viewer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compare",
        description = {"A/B of two EXR images, or two folders of them (e.g. two methods' eval --save-exr outputs), "
            + "tev-style: the viewer with A and B in a split wipe (or flicker, side by side, grid with A's error and "
            + "signed difference against B), PSNR/SSIM/FLIP of A against B, pixel inspector and zoom.",
            "Without a display (RECONVIEW_NO_DISPLAY set) it prints the metrics of each pair as one JSON line, as "
                + "'metrics A B' does."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "the image (or folder of images) to measure")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "the reference image (or folder)")
    Path b;

    @Option(names = "--layout", defaultValue = "split", paramLabel = "<LAYOUT>",
            completionCandidates = TypedOptions.Layouts.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; grid: A, B, A's error map and its "
                    + "signed difference)")
    Layout layout;

    @Mixin
    EncodingOption encoding = new EncodingOption();

    @Option(names = "--window", defaultValue = "1600x900", paramLabel = "<WxH>",
            description = "window size (default: ${DEFAULT-VALUE})")
    Size window;

    @Option(names = "--frames", defaultValue = "0", paramLabel = "<N>",
            description = "play this many UI frames, then exit (0: until closed)")
    int frames;

    @Option(names = "--screenshot", paramLabel = "<FILE>", description = "PNG of the whole window after --frames frames")
    Path screenshot;

    @Override
    public Integer call() {
        Options.atLeast("--frames", frames, 0);
        if (screenshot != null && frames == 0) {
            frames = 1;
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (System.getenv("RECONVIEW_NO_DISPLAY") != null) {
            List<List<Path>> pairs = PairSource.pairs(a, b);
            List<Path> as = pairs.get(0);
            List<Path> bs = pairs.get(1);
            for (int i = 0; i < as.size(); i++) {
                out.println(ImageComparison.of(as.get(i), bs.get(i), encoding.encoding).toJson());
            }
            return 0;
        }
        try (GlContext gl = GlContext.create(window.width(), window.height(), true, "reconview compare")) {
            PairSource source = new PairSource(a, b);
            try (Viewer viewer = new Viewer(gl, source, null, 0, 0, Methods.Config.defaults(), false,
                    List.of("input", "reference"), Map.of("input", "A: " + a.getFileName(), "reference",
                            "B: " + b.getFileName()))) {
                viewer.state().arrangeComparison(layout);
                viewer.state().encoding = encoding.encoding;
                viewer.run(frames);
                if (screenshot != null) {
                    viewer.screenshotNow(screenshot);
                    if (viewer.state().error != null) {
                        throw new UserException(viewer.state().error);
                    }
                    out.println("screenshot: " + screenshot.toAbsolutePath().normalize());
                }
            }
        }
        return 0;
    }
}
