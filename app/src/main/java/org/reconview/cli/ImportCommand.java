package org.reconview.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;
import org.reconview.io.FramePattern;
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
 * Describes a folder of another renderer's frames (Falcor/Mogwai, Mitsuba, Unreal: layered or multipart EXR, their
 * own file names) by writing its {@code sequence.json}, so that {@code view}, {@code eval} and {@code inspect} read
 * it. Checks first, with the reader that will read the folder ({@link SequenceFolder}): every frame's files exist and
 * have the channels at the sequence's size (headers only), the first frame decodes, and its motion is plausible in
 * the stated convention. Without GL.
 */
@Command(name = "import",
        description = {"Describe a folder of another renderer's EXR frames (layered or multipart, any file names) by "
            + "writing DIR/sequence.json, after checking that every frame's files exist with the channels at one "
            + "size, that the first frame reads and that its motion is plausible. Then view --sequence, eval "
            + "--sequence and inspect read DIR.",
            "Patterns are relative to DIR: beauty.####.exr or beauty.%%04d.exr (sub-folders allowed). Channels are "
                + "CHANNEL, LAYER.CHANNEL (Color.R) or PART/CHANNEL (a multipart file's part: beauty/R)."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<DIR>", description = "folder of the frames; sequence.json goes here")
    Path dir;

    @Option(names = "--color", required = true, paramLabel = "<PATTERN>",
            description = "1-spp colour files (e.g. beauty.####.exr)")
    String color;

    @Option(names = "--motion", required = true, paramLabel = "<PATTERN>",
            description = "motion-vector files (may be the colour files)")
    String motion;

    @Option(names = "--reference", paramLabel = "<PATTERN>", description = "reference (ground-truth) files")
    String reference;

    @Option(names = "--depth", paramLabel = "<PATTERN>", description = "depth files")
    String depth;

    @Option(names = "--color-channels", paramLabel = "<R,G,B[,A]>",
            description = "colour channels (default: R,G,B, and A when present)")
    String colorChannels;

    @Option(names = "--motion-channels", paramLabel = "<X,Y>", description = "motion channels (default: R,G)")
    String motionChannels;

    @Option(names = "--reference-channels", paramLabel = "<R,G,B[,A]>",
            description = "reference channels (default: R,G,B, and A when present)")
    String referenceChannels;

    @Option(names = "--depth-channel", paramLabel = "<Z>", description = "depth channel (default: Z, else R, else Y)")
    String depthChannel;

    @Option(names = "--motion-convention", paramLabel = "<K=V,...>",
            description = "how the motion is stored: direction=current-to-previous|previous-to-current, "
                + "units=pixels|ndc|uv, y=down|up, scale=S; bare values work too (previous-to-current,uv,up). "
                + "Default: current-to-previous,pixels,down,1")
    String motionConvention;

    @Option(names = "--frames", paramLabel = "<N>",
            description = "frames to import (default: from --start on until a colour file is missing)")
    Integer frames;

    @Option(names = "--start", paramLabel = "<K>",
            description = "number in the file names of the first frame (default: the lowest colour file's)")
    Long start;

    @Option(names = "--fps", defaultValue = "30", paramLabel = "<F>",
            description = "frame rate (default: ${DEFAULT-VALUE})")
    double fps;

    @Option(names = "--replace", description = "overwrite a sequence.json already in DIR")
    boolean replace;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(fps > 0) || fps > 1000) {
            throw new UserException("--fps: " + fps + " must be in (0, 1000]");
        }
        if (frames != null) {
            Options.positive("--frames", frames);
        }
        if (start != null) {
            Options.atLeast("--start", start, 0);
        }
        FramePattern colorPattern = FramePattern.parse("--color", color);
        FramePattern.parse("--motion", motion);
        if (reference != null) {
            FramePattern.parse("--reference", reference);
        }
        if (depth != null) {
            FramePattern.parse("--depth", depth);
        }
        List<String> colorNames = channels("--color-channels", colorChannels, 3, 4, "R,G,B or R,G,B,A");
        List<String> motionNames = channels("--motion-channels", motionChannels, 2, 2, "X,Y");
        List<String> referenceNames = channels("--reference-channels", referenceChannels, 3, 4, "R,G,B or R,G,B,A");
        List<String> depthNames = channels("--depth-channel", depthChannel, 1, 1, "one name");
        if (referenceNames != null && reference == null) {
            throw new UserException("--reference-channels: needs --reference (the reference files)");
        }
        if (depthNames != null && depth == null) {
            throw new UserException("--depth-channel: needs --depth (the depth files)");
        }
        MotionConvention convention = parseConvention(motionConvention);

        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + (Files.exists(dir) ? ": not a folder" : ": not found"));
        }
        Path json = dir.resolve(SequenceInfo.FILE_NAME);
        if (Files.exists(json) && !replace) {
            throw new UserException(json + ": already exists (this folder is described; --replace to overwrite)");
        }
        long first;
        if (start != null) {
            first = start;
        } else {
            List<Long> found = colorPattern.numbersIn(dir);
            if (found.isEmpty()) {
                throw new UserException(dir + ": no file matches --color '" + color + "'");
            }
            first = found.get(0);
        }
        int count = frames != null ? frames : countFrames(colorPattern, first);
        Path firstColor = dir.resolve(colorPattern.format(first));
        if (count == 0) {
            throw new UserException(firstColor + ": not found (the first frame's colour, --start " + first + ")");
        }
        String[] rgb = colorNames != null ? colorNames.subList(0, 3).toArray(String[]::new)
                : new String[] {"R", "G", "B"};
        int[] size = ExrImages.layout(firstColor).size(rgb);

        SequenceInfo info = new SequenceInfo(size[0], size[1], count);
        info.fps = fps;
        info.motion = convention;
        info.hasReference = reference != null;
        info.hasDepth = depth != null;
        info.source = "reconview " + Main.VERSION + " import";
        info.files = new SequenceInfo.FileLayout();
        info.files.start = first;
        info.files.color = new SequenceInfo.FileSpec(color, colorNames);
        info.files.motion = new SequenceInfo.FileSpec(motion, motionNames);
        info.files.reference = reference != null ? new SequenceInfo.FileSpec(reference, referenceNames) : null;
        info.files.depth = depth != null ? new SequenceInfo.FileSpec(depth, depthNames) : null;
        SequenceFolder folder = SequenceFolder.describe(dir, info);

        for (int i = 0; i < count; i++) {
            folder.checkHeaders(i);
        }
        List<String> warnings = new ArrayList<>();
        folder.setWarnings(warnings::add);
        FrameImages f0 = folder.read(0);
        checkMotion(folder.file(0, SequenceFolder.MOTION), f0.motion(), convention, warnings);
        for (String w : warnings) {
            err.println("reconview: warning: " + w);
        }
        err.flush();

        info.write(json);
        out.println("wrote " + json.toAbsolutePath().normalize() + ": " + count + " frames of " + size[0] + "x"
                + size[1] + " from " + colorPattern.format(first) + " on (motion " + convention.direction() + ", "
                + convention.units() + ", y " + convention.y() + ", scale " + convention.scale() + ")"
                + (reference != null ? ", with reference" : "") + (depth != null ? ", with depth" : ""));
        out.flush();
        return 0;
    }

    /** Consecutive frames from number {@code first} whose colour file exists (bounded like every --frames). */
    private int countFrames(FramePattern pattern, long first) {
        long max = Options.MAXIMA.get("--frames");
        int n = 0;
        while (n < max && Files.isRegularFile(dir.resolve(pattern.format(first + n)))) {
            n++;
        }
        return n;
    }

    /** A comma list of channel addresses of {@code min..max} names, or null when not given. */
    static List<String> channels(String option, String text, int min, int max, String expected) {
        if (text == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String s : text.split(",", -1)) {
            String name = s.strip();
            if (name.isEmpty()) {
                throw new UserException(option + ": empty channel name in '" + text + "'");
            }
            if (names.contains(name)) {
                throw new UserException(option + ": '" + name + "' named twice");
            }
            names.add(name);
        }
        if (names.size() < min || names.size() > max) {
            throw new UserException(option + ": " + names.size() + (names.size() == 1 ? " name" : " names")
                    + ", expected " + expected);
        }
        return names;
    }

    /**
     * {@code direction=..,units=..,y=..,scale=..} in any order and subset, or the bare values (their sets do not
     * overlap; a number is the scale); null is the canonical convention.
     */
    static MotionConvention parseConvention(String text) {
        if (text == null) {
            return MotionConvention.canonical();
        }
        String direction = null, units = null, y = null;
        Float scale = null;
        List<String> directions = List.of(MotionConvention.CURRENT_TO_PREVIOUS, MotionConvention.PREVIOUS_TO_CURRENT);
        List<String> unitNames = List.of(MotionConvention.PIXELS, MotionConvention.NDC, MotionConvention.UV);
        List<String> ys = List.of(MotionConvention.DOWN, MotionConvention.UP);
        for (String token : text.split(",", -1)) {
            String t = token.strip();
            int eq = t.indexOf('=');
            String key = eq >= 0 ? t.substring(0, eq).strip() : null;
            String value = eq >= 0 ? t.substring(eq + 1).strip() : t;
            if (key == null) {
                key = directions.contains(value) ? "direction" : unitNames.contains(value) ? "units"
                        : ys.contains(value) ? "y" : isNumber(value) ? "scale" : null;
            }
            if (key == null) {
                throw new UserException("--motion-convention: unknown '" + t + "' (direction="
                        + String.join("|", directions) + ", units=" + String.join("|", unitNames) + ", y="
                        + String.join("|", ys) + ", scale=NUMBER)");
            }
            switch (key) {
                case "direction" -> direction = value;
                case "units" -> units = value;
                case "y" -> y = value;
                case "scale" -> {
                    if (!isNumber(value)) {
                        throw new UserException("--motion-convention: scale '" + value + "' is not a number");
                    }
                    scale = Float.parseFloat(value);
                }
                default -> throw new UserException("--motion-convention: unknown field '" + key
                        + "' (direction, units, y, scale)");
            }
        }
        MotionConvention c = new MotionConvention(direction, units, y, scale == null ? 1f : scale);
        c.validate("--motion-convention");
        return c;
    }

    private static boolean isNumber(String s) {
        try {
            return Float.isFinite(Float.parseFloat(s)) && !s.isEmpty() && !s.endsWith("f") && !s.endsWith("d");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Motion (already in canonical pixels) is implausible when more than 1% of the pixels move farther than the
     * frame is wide or high: the usual sign of ndc or uv units read as pixels' multiples, or the wrong channels. All
     * zero, or all under 0.05 px, is a warning (a still camera, or uv units read as pixels).
     */
    static void checkMotion(Path file, FloatImage motion, MotionConvention convention, List<String> warnings) {
        int n = motion.width * motion.height;
        float[] len = new float[n];
        float[] d = motion.data;
        for (int i = 0; i < n; i++) {
            float x = d[i * motion.channels], y = d[i * motion.channels + 1];
            len[i] = (float) Math.sqrt((double) x * x + (double) y * y);
        }
        Arrays.sort(len);
        float limit = Math.max(motion.width, motion.height);
        float p99 = len[Math.min(n - 1, (int) Math.floor(0.99 * n))];
        float max = len[n - 1];
        String how = convention.direction() + ", " + convention.units() + ", y " + convention.y() + ", scale "
                + convention.scale();
        if (p99 > limit) {
            int far = n - lowerBound(len, limit);
            throw new UserException(file + ": motion implausible: " + String.format(Locale.ROOT, "%.1f%%",
                    100.0 * far / n) + " of the pixels move farther than " + (int) limit + " px (read as " + how
                    + "); check --motion-convention and --motion-channels");
        }
        if (max == 0f) {
            warnings.add(file + ": the motion is zero everywhere in the first frame (a still camera, or the wrong"
                    + " channels?)");
        } else if (max < 0.05f) {
            warnings.add(file + ": the largest motion in the first frame is " + String.format(Locale.ROOT, "%.3g",
                    max) + " px (read as " + how + "): are these ndc or uv units? (--motion-convention units=uv)");
        }
    }

    /** The first index whose value exceeds {@code v} in sorted {@code a}. */
    private static int lowerBound(float[] a, float v) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
