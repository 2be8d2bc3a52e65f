package org.reconview.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.gl.GlContext;
import org.reconview.recon.Methods;
import org.reconview.recon.Taa;
import org.reconview.scene.Scene;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.source.ExrSequenceSource;
import org.reconview.source.FrameSource;
import org.reconview.source.LiveFrameSource;
import org.reconview.ui.Layout;
import org.reconview.ui.Viewer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "view",
        description = {"Open the viewer on a scene or an EXR sequence: TAA, U-Net, QW-Net and the reference side by "
            + "side with live PSNR/SSIM, plots, temporal profiles, timings and a pixel inspector.",
            "Keys: Space play/pause, Left/Right step, 1-4 solo a grid view, 5 the input, 6 the error map, G grid, "
                + "R reset histories, S screenshot, F fit. Wheel zooms, drag pans, a click picks the profile line.",
            "With --frames and --screenshot it plays N frames, saves the whole window as PNG and exits.",
            "--spp is 32 here, not 64 as elsewhere: the viewer renders its reference live, every frame."})
final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scene", paramLabel = "<NAME|FILE>",
            description = "built-in scene (see 'scenes') or mesh file (default: " + BuiltinScenes.DEFAULT + ")")
    String scene;

    @Option(names = "--sequence", paramLabel = "<DIR>", description = "EXR sequence folder to play instead of a scene")
    Path sequence;

    @Mixin
    SizeOption size = new SizeOption();

    @Mixin
    SppOption spp = new SppOption(32);

    @Mixin
    LayoutSeedOption seed = new LayoutSeedOption();

    @Option(names = "--window", defaultValue = "1600x900", paramLabel = "<WxH>",
            description = "window size (default: ${DEFAULT-VALUE})")
    Size window;

    @Option(names = "--layout", defaultValue = "grid", paramLabel = "<LAYOUT>",
            completionCandidates = TypedOptions.Layouts.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Layout layout;

    @Option(names = "--mode", paramLabel = "<MODE>", converter = ModeConverter.class,
            completionCandidates = Modes.class,
            description = "what the solo view shows (implies --layout solo): ${COMPLETION-CANDIDATES}")
    String mode;

    @Option(names = "--taa", defaultValue = "", paramLabel = "<K=V,...>", description = "TAA settings, as for eval")
    String taa;

    @Option(names = "--weights", paramLabel = "<FILE>", description = "network weights (safetensors; repeatable), as "
            + "for eval; default: the shipped models/*.safetensors, else seeded random weights")
    List<Path> weights = new ArrayList<>();

    @Mixin
    BackendOption backend = new BackendOption();

    @Option(names = "--frames", defaultValue = "0", paramLabel = "<N>",
            description = "play this many frames, then exit (0: until closed)")
    int frames;

    @Option(names = "--screenshot", paramLabel = "<FILE>", description = "PNG of the whole window after --frames frames")
    Path screenshot;

    /** The {@link #knownModes()}, for the help. */
    static final class Modes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return knownModes().iterator();
        }
    }

    /** Refuses a mode that is not one of {@link #knownModes()} at parse time, listing them. */
    static final class ModeConverter implements picocli.CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!knownModes().contains(value)) {
                throw new picocli.CommandLine.TypeConversionException("unknown '" + value + "' (known: "
                        + String.join(", ", knownModes()) + ")");
            }
            return value;
        }
    }

    /** What a view can show: {@link org.reconview.ui.ViewerState#contents} of every method. */
    static List<String> knownModes() {
        return org.reconview.ui.ViewerState.contents(org.reconview.recon.Methods.all().stream()
                .map(org.reconview.recon.Methods.Entry::name).toList());
    }

    @Override
    public Integer call() {
        if (scene != null && sequence != null) {
            throw new UserException("--scene and --sequence: give one, not both");
        }
        Size s = size.size;
        Size win = window;
        Options.atLeast("--spp", spp.spp, 0);
        Options.atLeast("--frames", frames, 0);
        Layout chosen = mode != null ? Layout.SOLO : layout;
        Taa.Settings taaSettings = Taa.Settings.parse(taa);
        weights = Methods.weightsFor(Methods.all().stream().map(Methods.Entry::name).toList(), weights);
        backend.requested();
        if (screenshot != null && frames == 0) {
            frames = 1;
        }
        String sceneName = sequence == null ? (scene == null ? BuiltinScenes.DEFAULT : scene) : null;
        Scene sceneValue = sceneName != null ? SceneArgument.resolve(sceneName, seed.seed) : null;
        try (GlContext gl = GlContext.create(win.width(), win.height(), true, "reconview")) {
            org.reconview.nn.cuda.Backend qwnetBackend = backend.choose(gl.renderer(), spec.commandLine().getErr(),
                    true);
            FrameSource source = sequence != null ? new ExrSequenceSource(sequence)
                    : new LiveFrameSource(sceneValue, s.width(), s.height(), spp.spp,
                            LiveFrameSource.DEFAULT_JITTER_PERIOD);
            try (Viewer viewer = new Viewer(gl, source, sceneValue != null ? sceneValue.name() : null, spp.spp, seed.seed,
                    new Methods.Config(taaSettings, weights, qwnetBackend), false)) {
                viewer.state().layout = chosen;
                if (mode != null) {
                    viewer.state().solo = mode;
                }
                Viewer.RunTimes t = viewer.runTimed(frames);
                if (frames > 1) {
                    spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                            "viewer: %d frames of %s at %dx%d, %.1f ms per frame (wall clock, first frame left out; "
                                    + "%.1f ms of it the frame work, the rest input and drawing; slowest frame "
                                    + "%.1f ms)%n",
                            frames, source.name(), source.width(), source.height(), t.meanMs(), t.meanWorkMs(),
                            t.maxMs());
                }
                if (screenshot != null) {
                    viewer.screenshotNow(screenshot);
                    if (viewer.state().error != null) {
                        throw new UserException(viewer.state().error);
                    }
                    spec.commandLine().getOut().println("screenshot: " + screenshot.toAbsolutePath().normalize());
                }
            }
        }
        return 0;
    }
}
