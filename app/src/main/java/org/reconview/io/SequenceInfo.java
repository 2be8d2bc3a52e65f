package org.reconview.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import org.reconview.UserException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model of a sequence folder's {@code sequence.json} (snake_case keys, read and written with Gson). Sizes are in
 * pixels; {@code jitter} holds one {@code [x, y]} sub-pixel offset per frame in pixels (+x right, +y down, within
 * [-0.5, 0.5]; an empty list means no jitter); {@code cuts} lists frames that start a new camera shot (frame 0 always
 * does); {@code motion} says how the motion files are stored (see {@link MotionConvention}). Missing optional fields
 * take their defaults; {@link #read} validates and reports problems as one-line {@link UserException}s naming the
 * file and field.
 */
public final class SequenceInfo {
    public static final String FORMAT = "reconview-sequence/1";
    public static final String FILE_NAME = "sequence.json";

    @SerializedName("format")
    public String format = FORMAT;
    @SerializedName("width")
    public int width;
    @SerializedName("height")
    public int height;
    @SerializedName("frames")
    public int frames;
    @SerializedName("fps")
    public double fps = 30;
    @SerializedName("scene")
    public String scene;
    @SerializedName("seed")
    public long seed;
    /** Reference samples per pixel, 0 when there is no reference. */
    @SerializedName("spp")
    public int spp;
    @SerializedName("jitter_period")
    public int jitterPeriod;
    @SerializedName("jitter")
    public List<float[]> jitter = new ArrayList<>();
    @SerializedName("cuts")
    public List<Integer> cuts = new ArrayList<>(List.of(0));
    @SerializedName("motion")
    public MotionConvention motion = MotionConvention.canonical();
    @SerializedName("depth")
    public String depth;
    @SerializedName("color_space")
    public String colorSpace = "linear";
    @SerializedName("reference_filter")
    public String referenceFilter;
    @SerializedName("source")
    public String source;
    @SerializedName("has_reference")
    public boolean hasReference;
    @SerializedName("has_depth")
    public boolean hasDepth;
    /**
     * Where each kind's files lie and which channels they are read from, for folders of another renderer's frames
     * (as {@code import} writes it); absent (null), a kind, its pattern or its channels mean this app's own layout:
     * {@code %04d.KIND.exr} numbered from 0 with the channels {@link SequenceFolder} names.
     */
    @SerializedName("files")
    public FileLayout files;

    /** The {@code files} object: the number of frame 0's files and one {@link FileSpec} per kind. */
    public static final class FileLayout {
        /** The number in the file names of frame 0 (frame i is file number start + i). */
        @SerializedName("start")
        public long start;
        @SerializedName("color")
        public FileSpec color;
        @SerializedName("motion")
        public FileSpec motion;
        @SerializedName("depth")
        public FileSpec depth;
        @SerializedName("reference")
        public FileSpec reference;

        /** The spec of one kind ("color", "motion", "depth", "reference"), or null. */
        public FileSpec of(String kind) {
            return switch (kind) {
                case SequenceFolder.COLOR -> color;
                case SequenceFolder.MOTION -> motion;
                case SequenceFolder.DEPTH -> depth;
                case SequenceFolder.REFERENCE -> reference;
                default -> throw new IllegalArgumentException("kind " + kind);
            };
        }
    }

    /**
     * One kind's files: a {@link FramePattern} relative to the folder ({@code beauty.####.exr}, {@code mv/%04d.exr})
     * and the channels to read, as addresses ({@code Color.R}, {@code beauty/R}: see {@link ExrLayout}): colour and
     * reference R, G, B and optionally A; motion x, y; depth one channel.
     */
    public static final class FileSpec {
        @SerializedName("pattern")
        public String pattern;
        @SerializedName("channels")
        public List<String> channels;

        public FileSpec() {
        }

        public FileSpec(String pattern, List<String> channels) {
            this.pattern = pattern;
            this.channels = channels;
        }
    }

    static final List<String> KINDS = List.of(SequenceFolder.COLOR, SequenceFolder.MOTION, SequenceFolder.DEPTH,
            SequenceFolder.REFERENCE);

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    /** A JSON array of numbers spread over several lines by the pretty printer. */
    private static final Pattern NUMBER_ARRAY =
            Pattern.compile("\\[(\\s*-?[0-9][0-9.eE+\\-]*\\s*(?:,\\s*-?[0-9][0-9.eE+\\-]*\\s*)*)\\]");

    public SequenceInfo() {
    }

    public SequenceInfo(int width, int height, int frames) {
        this.width = width;
        this.height = height;
        this.frames = frames;
    }

    /** Jitter of a frame in pixels (+x right); 0 when the sequence has none. */
    public float jitterX(int frame) {
        return jitter == null || jitter.isEmpty() ? 0f : jitter.get(frame)[0];
    }

    /** Jitter of a frame in pixels (+y down); 0 when the sequence has none. */
    public float jitterY(int frame) {
        return jitter == null || jitter.isEmpty() ? 0f : jitter.get(frame)[1];
    }

    /** Whether the frame starts a new camera shot (frame 0 always does). */
    public boolean isCut(int frame) {
        return frame == 0 || (cuts != null && cuts.contains(frame));
    }

    /** The file of frame {@code index} of a kind, relative to the folder ({@code 0003.color.exr} by default). */
    public String fileName(int index, String kind) {
        FileSpec spec = files == null ? null : files.of(kind);
        long start = files == null ? 0 : files.start;
        if (spec == null || spec.pattern == null) {
            return SequenceFolder.fileName(Math.toIntExact(start + index), kind);
        }
        return FramePattern.parse("files." + kind, spec.pattern).format(start + index);
    }

    /** The channel addresses to read for a kind, or null for the default ones. */
    public List<String> channels(String kind) {
        FileSpec spec = files == null ? null : files.of(kind);
        return spec == null ? null : spec.channels;
    }

    /** Reads and validates {@code json}. */
    public static SequenceInfo read(Path json) {
        String text = new String(FileIo.readBytes(json), StandardCharsets.UTF_8);
        SequenceInfo info;
        try {
            info = GSON.fromJson(text, SequenceInfo.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            String field = badField(text);
            throw new UserException(json + ": " + (field != null ? field : "malformed JSON (" + gsonMessage(e) + ")"));
        }
        if (info == null) {
            throw new UserException(json + ": empty file");
        }
        info.validate(json.toString());
        return info;
    }

    /** Writes pretty-printed JSON atomically (validates first). */
    public void write(Path json) {
        validate(json.toString());
        FileIo.writeAtomic(json, (toJson() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public String toJson() {
        String s = GSON.toJson(this);
        // Keep number arrays ([x, y] jitter pairs, cuts) on one line.
        Matcher m = NUMBER_ARRAY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String inner = m.group(1).replaceAll("\\s+", "").replace(",", ", ");
            m.appendReplacement(sb, Matcher.quoteReplacement("[" + inner + "]"));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Fills defaults for missing (null) fields and checks values; errors are "{@code where}: field problem". */
    public void validate(String where) {
        if (format == null) format = FORMAT;
        if (!FORMAT.equals(format)) {
            throw new UserException(where + ": format '" + format + "' unsupported (expected " + FORMAT + ")");
        }
        if (width <= 0) throw new UserException(where + ": width " + width + " must be > 0");
        if (height <= 0) throw new UserException(where + ": height " + height + " must be > 0");
        if (frames <= 0) throw new UserException(where + ": frames " + frames + " must be > 0");
        if (!(fps > 0) || Double.isInfinite(fps)) throw new UserException(where + ": fps " + fps + " must be > 0");
        if (spp < 0) throw new UserException(where + ": spp " + spp + " must be >= 0");
        if (jitterPeriod < 0) throw new UserException(where + ": jitter_period " + jitterPeriod + " must be >= 0");
        if (colorSpace == null) colorSpace = "linear";
        if (motion == null) motion = MotionConvention.canonical();
        motion.validate(where);
        if (jitter == null) jitter = new ArrayList<>();
        if (!jitter.isEmpty()) {
            if (jitter.size() != frames) {
                throw new UserException(where + ": jitter has " + jitter.size() + " entries, expected " + frames
                        + " (one per frame)");
            }
            for (int i = 0; i < jitter.size(); i++) {
                float[] j = jitter.get(i);
                if (j == null || j.length != 2) {
                    throw new UserException(where + ": jitter[" + i + "] must be [x, y]");
                }
                if (!(Math.abs(j[0]) <= 0.5f) || !(Math.abs(j[1]) <= 0.5f)) {
                    throw new UserException(where + ": jitter[" + i + "] (" + j[0] + ", " + j[1]
                            + ") outside [-0.5, 0.5]");
                }
            }
        }
        if (cuts == null) cuts = new ArrayList<>(List.of(0));
        for (Integer c : cuts) {
            if (c == null || c < 0 || c >= frames) {
                throw new UserException(where + ": cuts entry " + c + " outside 0.." + (frames - 1));
            }
        }
        if (files != null) {
            validateFiles(where);
        }
    }

    private void validateFiles(String where) {
        if (files.start < 0 || files.start + frames > Integer.MAX_VALUE) {
            throw new UserException(where + ": files.start " + files.start + " must be in 0.."
                    + (Integer.MAX_VALUE - frames));
        }
        for (String kind : KINDS) {
            FileSpec spec = files.of(kind);
            if (spec == null) {
                continue;
            }
            if (spec.pattern != null) {
                FramePattern.parse(where + ": files." + kind, spec.pattern);
            }
            if (spec.channels == null) {
                continue;
            }
            int n = spec.channels.size();
            boolean fits = switch (kind) {
                case SequenceFolder.MOTION -> n == 2;
                case SequenceFolder.DEPTH -> n == 1;
                default -> n == 3 || n == 4;
            };
            if (!fits) {
                String expected = switch (kind) {
                    case SequenceFolder.MOTION -> "2 (x, y)";
                    case SequenceFolder.DEPTH -> "1";
                    default -> "3 (R, G, B) or 4 (R, G, B, A)";
                };
                throw new UserException(where + ": files." + kind + ".channels has " + n + " names, expected "
                        + expected);
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String c : spec.channels) {
                if (c == null || c.isBlank() || c.chars().anyMatch(ch -> ch < 32)) {
                    throw new UserException(where + ": files." + kind + ".channels has an empty or bad name");
                }
                if (!seen.add(c)) {
                    throw new UserException(where + ": files." + kind + ".channels names '" + c + "' twice");
                }
            }
        }
    }

    /**
     * Which field of a well-formed JSON object does not fit its type ("field 'frames': "three" is not a number"),
     * or null when the text is not such an object or every field reads on its own.
     */
    private static String badField(String text) {
        com.google.gson.JsonObject o;
        try {
            o = com.google.gson.JsonParser.parseString(text).getAsJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
        for (java.lang.reflect.Field f : SequenceInfo.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            var named = f.getAnnotation(com.google.gson.annotations.SerializedName.class);
            String key = named != null ? named.value() : f.getName();
            if (!o.has(key)) {
                continue;
            }
            try {
                GSON.fromJson(o.get(key), f.getGenericType());
            } catch (RuntimeException e) {
                boolean number = f.getType() == int.class || f.getType() == long.class || f.getType() == double.class;
                return "field '" + key + "': " + FileIo.oneLine(o.get(key).toString()) + " is not "
                        + (number ? "a number" : "a valid " + f.getType().getSimpleName().toLowerCase());
            }
        }
        return null;
    }

    private static String gsonMessage(Throwable e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) {
            m = e.getCause().getMessage();
        }
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int see = m.indexOf("\nSee https://");
        if (see >= 0) {
            m = m.substring(0, see);
        }
        m = m.replaceFirst("^(?:[a-z]+\\.)+[A-Za-z]*(?:Exception|Error): ", "");
        m = m.replaceFirst("Use JsonReader\\.set(?:Lenient|Strictness)\\([^)]*\\) to accept malformed JSON", "unexpected text");
        if (e.getCause() instanceof NumberFormatException) {
            m = "bad number: " + m;
        }
        return FileIo.oneLine(m);
    }
}
