package org.reconview.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.reconview.UserException;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.io.MotionConvention;
import org.reconview.io.SequenceFolder;
import org.reconview.io.SequenceInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Validates an EXR sequence folder without any GL: reads {@code sequence.json} and every frame through
 * {@link SequenceFolder} (files, sizes, channels, motion converted to the canonical convention) and prints a summary.
 * Stats are taken after the reader's conversion: motion in canonical pixels, NaN/Inf already replaced by 0.
 */
@Command(name = "inspect",
        description = {"Check an EXR sequence folder (the layout 'render' writes, or another renderer's export): "
            + "reads sequence.json and every frame (sizes, channels, motion convention) without OpenGL and prints "
            + "size, frames, fps, scene, optional files, max |motion| (pixels), colour range, jitter range, cuts.",
            "NaN/Inf values are warnings (one line per file on stderr), not errors. Exit 0 when readable."})
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<DIR>", description = "sequence folder (with sequence.json)")
    Path dir;

    @Option(names = "--json", description = "print the summary as one JSON object")
    boolean json;

    @Spec
    CommandSpec spec;

    /** What one pass over the frames found. */
    record Stats(SequenceFolder folder, int depthFrames, int referenceFrames, float maxMotion, float colorMin,
                 float colorMax, float[] jitterMin, float[] jitterMax, List<Integer> cuts, int nonfiniteFrames) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(dir)) {
            throw new UserException(dir + ": not found");
        }
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(SequenceInfo.FILE_NAME))) {
            throw new UserException(dir.resolve(SequenceInfo.FILE_NAME) + ": not found (not a sequence folder,"
                    + " or an unfinished render: render writes it last)");
        }
        Stats s = scan(dir, line -> {
            err.println("reconview: warning: " + line);
            err.flush();
        });
        if (json) {
            out.println(toJson(s));
        } else {
            printSummary(out, s);
        }
        out.flush();
        return 0;
    }

    /** Reads every frame of {@code dir}; NaN/Inf reports go to {@code warnings}. */
    static Stats scan(Path dir, Consumer<String> warnings) {
        SequenceFolder folder = SequenceFolder.open(dir);
        SequenceInfo info = folder.info();
        boolean[] badFrame = new boolean[1];
        folder.setWarnings(line -> {
            badFrame[0] = true;
            warnings.accept(line);
        });
        int depthFrames = 0, referenceFrames = 0, nonfiniteFrames = 0;
        float maxMotion = 0f;
        float colorMin = Float.POSITIVE_INFINITY, colorMax = Float.NEGATIVE_INFINITY;
        float[] jMin = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] jMax = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < info.frames; i++) {
            badFrame[0] = false;
            FrameImages f = folder.read(i);
            if (badFrame[0]) {
                nonfiniteFrames++;
            }
            if (f.depth() != null) {
                depthFrames++;
            }
            if (f.reference() != null) {
                referenceFrames++;
            }
            maxMotion = Math.max(maxMotion, maxLength(f.motion()));
            FloatImage c = f.color();
            float[] d = c.data;
            for (int p = 0; p < d.length; p += c.channels) {
                for (int k = 0; k < 3; k++) {
                    float v = d[p + k];
                    colorMin = Math.min(colorMin, v);
                    colorMax = Math.max(colorMax, v);
                }
            }
            jMin[0] = Math.min(jMin[0], f.jitterX());
            jMin[1] = Math.min(jMin[1], f.jitterY());
            jMax[0] = Math.max(jMax[0], f.jitterX());
            jMax[1] = Math.max(jMax[1], f.jitterY());
            if (f.cut()) {
                cuts.add(i);
            }
        }
        return new Stats(folder, depthFrames, referenceFrames, maxMotion, colorMin, colorMax, jMin, jMax, cuts,
                nonfiniteFrames);
    }

    private static float maxLength(FloatImage motion) {
        float[] d = motion.data;
        int nc = motion.channels;
        double max2 = 0;
        for (int i = 0; i < d.length; i += nc) {
            double x = d[i], y = d[i + 1];
            max2 = Math.max(max2, x * x + y * y);
        }
        return (float) Math.sqrt(max2);
    }

    private static boolean hasJitter(Stats s) {
        return s.folder.info().jitter != null && !s.folder.info().jitter.isEmpty();
    }

    static String toJson(Stats s) {
        SequenceInfo info = s.folder.info();
        JsonObject o = new JsonObject();
        o.addProperty("dir", s.folder.dir().toAbsolutePath().normalize().toString());
        o.addProperty("width", info.width);
        o.addProperty("height", info.height);
        o.addProperty("frames", info.frames);
        o.addProperty("fps", info.fps);
        o.addProperty("scene", info.scene);
        o.addProperty("source", info.source);
        o.addProperty("has_depth", s.depthFrames == info.frames);
        o.addProperty("has_reference", s.referenceFrames == info.frames);
        o.addProperty("depth_frames", s.depthFrames);
        o.addProperty("reference_frames", s.referenceFrames);
        MotionConvention m = info.motion;
        JsonObject motion = new JsonObject();
        motion.addProperty("direction", m.direction());
        motion.addProperty("units", m.units());
        motion.addProperty("y", m.y());
        motion.addProperty("scale", m.scale());
        o.add("motion", motion);
        o.addProperty("max_motion_px", s.maxMotion);
        o.addProperty("color_min", s.colorMin);
        o.addProperty("color_max", s.colorMax);
        if (hasJitter(s)) {
            o.add("jitter_min", pair(s.jitterMin));
            o.add("jitter_max", pair(s.jitterMax));
        } else {
            o.add("jitter_min", null);
            o.add("jitter_max", null);
        }
        JsonArray cuts = new JsonArray();
        s.cuts.forEach(cuts::add);
        o.add("cuts", cuts);
        o.addProperty("nonfinite_frames", s.nonfiniteFrames);
        Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
        return gson.toJson(o);
    }

    private static JsonArray pair(float[] v) {
        JsonArray a = new JsonArray();
        a.add(v[0]);
        a.add(v[1]);
        return a;
    }

    private static void printSummary(PrintWriter out, Stats s) {
        SequenceInfo info = s.folder.info();
        MotionConvention m = info.motion;
        out.println("folder:      " + s.folder.dir().toAbsolutePath().normalize());
        out.println("size:        " + info.width + "x" + info.height + ", " + info.frames + " frames at "
                + fmt(info.fps) + " fps (" + fmt(info.frames / info.fps) + " s)");
        out.println("scene:       " + (info.scene == null ? "(not given)" : info.scene)
                + (info.source == null ? "" : "  source: " + info.source));
        out.println("files:       color, motion" + optional("depth", s.depthFrames, info.frames)
                + optional("reference", s.referenceFrames, info.frames)
                + (info.hasReference ? "  (reference " + info.spp + " spp)" : ""));
        out.println("motion:      " + m.direction() + ", " + m.units() + ", y " + m.y() + ", scale " + fmt(m.scale())
                + (m.isCanonical() ? " (canonical)" : " (converted to canonical pixels for the stats)"));
        out.println("max motion:  " + fmt(s.maxMotion) + " px");
        out.println("colour:      " + fmt(s.colorMin) + " .. " + fmt(s.colorMax) + " (min/max over R, G, B)");
        out.println("jitter:      " + (hasJitter(s) ? "x " + fmt(s.jitterMin[0]) + " .. " + fmt(s.jitterMax[0])
                + ", y " + fmt(s.jitterMin[1]) + " .. " + fmt(s.jitterMax[1]) + " px" : "none"));
        out.println("cuts:        " + s.cuts.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""));
        out.println("non-finite:  " + s.nonfiniteFrames + (s.nonfiniteFrames == 1 ? " frame" : " frames")
                + " with NaN/Inf" + (s.nonfiniteFrames > 0 ? " (replaced by 0 when read; see the warnings)" : ""));
    }

    private static String optional(String name, int present, int frames) {
        if (present == frames) {
            return ", " + name;
        }
        return present == 0 ? "" : ", " + name + " (" + present + " of " + frames + " frames)";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
                .replaceFirst("\\.(e|$)", "$1");
    }
}
