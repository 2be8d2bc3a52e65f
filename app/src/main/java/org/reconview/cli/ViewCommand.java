package org.reconview.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.gl.GlContext;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.source.ExrSequenceSource;
import org.reconview.source.FrameSource;
import org.reconview.source.LiveFrameSource;
import org.reconview.ui.PreviewWindow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

@Command(name = "view", mixinStandardHelpOptions = true,
        description = {"Open the viewer on a scene or an EXR sequence. Keys: Tab/M cycle input, motion, reference;",
            "1/2/3 pick one; Space pause; Right step; Up/Down exposure; Esc quit.",
            "With --frames and --screenshot it plays N frames, saves the window as PNG and exits."})
final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scene", description = "built-in scene or mesh file (default: " + BuiltinScenes.DEFAULT + ")")
    String scene;

    @Option(names = "--sequence", description = "EXR sequence folder to play instead of a live scene")
    Path sequence;

    @Option(names = "--size", defaultValue = "512x288", description = "render size WxH (default ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--spp", defaultValue = "16",
            description = "live reference samples per pixel, 0 = none (default ${DEFAULT-VALUE})")
    int spp;

    @Option(names = "--seed", defaultValue = "0", description = "scene layout seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--window", defaultValue = "1280x720", description = "window size WxH (default ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--mode", defaultValue = "input", description = "first view: input, motion, reference")
    String mode;

    @Option(names = "--frames", defaultValue = "0", description = "play this many frames, then exit (0 = until closed)")
    int frames;

    @Option(names = "--screenshot", description = "PNG of the window after --frames frames")
    Path screenshot;

    @Override
    public Integer call() {
        if (scene != null && sequence != null) {
            throw new UserException("--scene and --sequence: give one, not both");
        }
        Size s = Size.parse("--size", size);
        Size win = Size.parse("--window", window);
        Options.atLeast("--spp", spp, 0);
        Options.atLeast("--frames", frames, 0);
        PreviewWindow.Mode first = switch (mode) {
            case "input" -> PreviewWindow.Mode.INPUT;
            case "motion" -> PreviewWindow.Mode.MOTION;
            case "reference" -> PreviewWindow.Mode.REFERENCE;
            default -> throw new UserException("--mode: unknown '" + mode + "' (input, motion, reference)");
        };
        if (screenshot != null && frames == 0) {
            frames = 1;
        }
        var sceneValue = sequence == null ? SceneArgument.resolve(scene == null ? BuiltinScenes.DEFAULT : scene, seed)
                : null;
        try (GlContext gl = GlContext.create(win.width(), win.height(), true, "reconview");
                FrameSource source = sequence != null ? new ExrSequenceSource(sequence)
                        : new LiveFrameSource(sceneValue, s.width(), s.height(), spp,
                                LiveFrameSource.DEFAULT_JITTER_PERIOD);
                PreviewWindow preview = new PreviewWindow(gl, source)) {
            preview.setMode(first);
            preview.run(frames);
            if (screenshot != null) {
                preview.screenshot(screenshot);
                spec.commandLine().getOut().println("screenshot: " + screenshot.toAbsolutePath().normalize());
            }
        }
        return 0;
    }
}
