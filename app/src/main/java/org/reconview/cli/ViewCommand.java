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

@Command(name = "view", mixinStandardHelpOptions = true,
        description = {"Open the viewer on a scene or an EXR sequence: TAA, U-Net, QW-Net and the reference side by",
            "side with live PSNR/SSIM, plots, temporal profiles, timings and a pixel inspector.",
            "Keys: Space play/pause, Left/Right step, 1-4 solo a grid view, 5 the input, 6 the error map,",
            "G grid, R reset histories, S screenshot, F fit. Wheel zooms, drag pans, a click picks the profile line.",
            "With --frames and --screenshot it plays N frames, saves the whole window as PNG and exits."})
final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scene", description = "built-in scene or mesh file (default: " + BuiltinScenes.DEFAULT + ")")
    String scene;

    @Option(names = "--sequence", description = "EXR sequence folder to play instead of a live scene")
    Path sequence;

    @Option(names = "--size", defaultValue = "256x256", description = "render size WxH (default ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--spp", defaultValue = "32",
            description = "live reference samples per pixel, 0 = none (default ${DEFAULT-VALUE})")
    int spp;

    @Option(names = "--seed", defaultValue = "0", description = "scene layout seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--window", defaultValue = "1600x900", description = "window size WxH (default ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--layout", defaultValue = "grid", description = "grid, solo, pair, strip or split (default grid)")
    String layout;

    @Option(names = "--mode",
            description = "content of the solo view: input, motion, reference, taa, ... (implies --layout solo)")
    String mode;

    @Option(names = "--taa", defaultValue = "", description = "TAA settings, as for eval")
    String taa;

    @Option(names = "--weights", description = "network weights (safetensors; repeatable), as for eval; default: the"
            + " shipped models/*.safetensors, else seeded random weights")
    List<Path> weights = new ArrayList<>();

    @Mixin
    BackendOption backend = new BackendOption();

    @Option(names = "--frames", defaultValue = "0", description = "play this many frames, then exit (0 = until closed)")
    int frames;

    @Option(names = "--screenshot", description = "PNG of the whole window after --frames frames")
    Path screenshot;

    /** What a view can show: each method, the motion vectors, and each method's error map. */
    static List<String> knownModes() {
        List<String> names = org.reconview.recon.Methods.all().stream().map(org.reconview.recon.Methods.Entry::name)
                .toList();
        List<String> out = new ArrayList<>(names);
        out.add("motion");
        for (String n : names) {
            if (!n.equals("reference")) {
                out.add("error:" + n);
            }
        }
        return out;
    }

    @Override
    public Integer call() {
        if (scene != null && sequence != null) {
            throw new UserException("--scene and --sequence: give one, not both");
        }
        Size s = Size.parse("--size", size);
        Size win = Size.parse("--window", window);
        Options.atLeast("--spp", spp, 0);
        Options.atLeast("--frames", frames, 0);
        if (mode != null && !knownModes().contains(mode)) {
            throw new UserException("--mode: unknown '" + mode + "' (known: " + String.join(", ", knownModes()) + ")");
        }
        Layout chosen = Layout.parse(mode != null ? "solo" : layout);
        Taa.Settings taaSettings = Taa.Settings.parse(taa);
        weights = Methods.weightsFor(Methods.all().stream().map(Methods.Entry::name).toList(), weights);
        backend.requested();
        if (screenshot != null && frames == 0) {
            frames = 1;
        }
        String sceneName = sequence == null ? (scene == null ? BuiltinScenes.DEFAULT : scene) : null;
        Scene sceneValue = sceneName != null ? SceneArgument.resolve(sceneName, seed) : null;
        try (GlContext gl = GlContext.create(win.width(), win.height(), true, "reconview")) {
            org.reconview.nn.cuda.Backend qwnetBackend = backend.choose(gl.renderer(), spec.commandLine().getErr(),
                    true);
            FrameSource source = sequence != null ? new ExrSequenceSource(sequence)
                    : new LiveFrameSource(sceneValue, s.width(), s.height(), spp,
                            LiveFrameSource.DEFAULT_JITTER_PERIOD);
            try (Viewer viewer = new Viewer(gl, source, sceneValue != null ? sceneValue.name() : null, spp, seed,
                    new Methods.Config(taaSettings, weights, qwnetBackend), false)) {
                viewer.state().layout = chosen;
                if (mode != null) {
                    viewer.state().solo = mode;
                }
                double ms = viewer.run(frames);
                if (frames > 1) {
                    spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                            "viewer: %d frames of %s at %dx%d, %.1f ms per frame (wall clock, first frame left out)%n",
                            frames, source.name(), source.width(), source.height(), ms);
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
