package org.reconview.io;

import org.reconview.UserException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reader of a sequence folder: {@code sequence.json} plus, per frame {@code NNNN} (zero-padded, {@code %04d}):
 * {@code NNNN.color.exr} (R,G,B, optional A, missing A = 1), {@code NNNN.motion.exr} (R = x, G = y, stored as
 * {@code sequence.json}'s motion convention says), optional {@code NNNN.depth.exr} (channel Z, else R, else Y) and
 * optional {@code NNNN.reference.exr} (R,G,B, optional A); optional files are required when {@code has_depth} /
 * {@code has_reference} say so. Frames come back with motion in the canonical convention; NaN/Inf values are
 * replaced by 0 and reported through {@link #setWarnings} (default: standard error), never thrown.
 * <p>
 * Another renderer's files: {@code sequence.json}'s {@code files} ({@link SequenceInfo.FileSpec}) gives per kind a
 * file pattern and the channels to read (layered {@code Color.R}, multipart {@code beauty/R}); colour or reference
 * given as three channels take a fourth, alpha, from the same layer ({@code Color.A}) when the file has it.
 */
public final class SequenceFolder {
    public static final String COLOR = "color";
    public static final String MOTION = "motion";
    public static final String DEPTH = "depth";
    public static final String REFERENCE = "reference";

    private final Path dir;
    private final SequenceInfo info;
    private Consumer<String> warnings = System.err::println;

    private SequenceFolder(Path dir, SequenceInfo info) {
        this.dir = dir;
        this.info = info;
    }

    /** Opens {@code dir} and reads its {@code sequence.json}. */
    public static SequenceFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + (Files.exists(dir) ? ": not a folder" : ": not found"));
        }
        return new SequenceFolder(dir, SequenceInfo.read(dir.resolve(SequenceInfo.FILE_NAME)));
    }

    /**
     * The folder {@code dir} as {@code info} describes it, before any {@code sequence.json} is written there (for
     * {@code import}, which checks a folder with the reader that will read it); {@code info} is validated.
     */
    public static SequenceFolder describe(Path dir, SequenceInfo info) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + (Files.exists(dir) ? ": not a folder" : ": not found"));
        }
        info.validate(dir.resolve(SequenceInfo.FILE_NAME).toString());
        return new SequenceFolder(dir, info);
    }

    /** The file name of one frame's image of the given kind ("color", "motion", "depth", "reference"). */
    public static String fileName(int index, String kind) {
        return String.format(java.util.Locale.ROOT, "%04d.%s.exr", index, kind);
    }

    public SequenceInfo info() {
        return info;
    }

    public Path dir() {
        return dir;
    }

    /** Frame {@code index}'s file of a kind, as {@code sequence.json} places it ({@code files}) or by default. */
    public Path file(int index, String kind) {
        return dir.resolve(info.fileName(index, kind));
    }

    /** Whether frame {@code index} reads a file of this optional kind ("depth", "reference"). */
    private boolean reads(int index, String kind) {
        boolean declared = DEPTH.equals(kind) ? info.hasDepth : info.hasReference;
        return declared || Files.exists(file(index, kind));
    }

    /**
     * Checks frame {@code index}'s files from their headers alone (fast: no pixels decoded): each file the frame
     * reads exists, has the channels to read, and is the sequence's size. Errors name the file.
     */
    public void checkHeaders(int index) {
        for (String kind : SequenceInfo.KINDS) {
            if ((DEPTH.equals(kind) || REFERENCE.equals(kind)) && !reads(index, kind)) {
                continue;
            }
            Path f = file(index, kind);
            ExrLayout layout = ExrImages.layout(f);
            String[] channels = DEPTH.equals(kind)
                    ? new String[] {layout.first(depthChannels()).orElseThrow(() -> layout.missing(depthChannels()))}
                    : required(kind);
            int[] size = layout.size(channels);
            checkSize(f, size[0], size[1]);
        }
    }

    /** The channels a kind is read from, alpha (optional for colour and reference) excluded. */
    private String[] required(String kind) {
        java.util.List<String> given = info.channels(kind);
        if (given != null) {
            return given.size() == 4 ? given.subList(0, 3).toArray(String[]::new) : given.toArray(String[]::new);
        }
        return MOTION.equals(kind) ? new String[] {"R", "G"} : new String[] {"R", "G", "B"};
    }

    private String[] depthChannels() {
        java.util.List<String> given = info.channels(DEPTH);
        return given != null ? given.toArray(String[]::new) : new String[] {"Z", "R", "Y"};
    }

    /** Colour or reference: R, G, B (as addressed) and A, which is optional unless given as a fourth channel. */
    private FloatImage readRgba(Path file, String kind) {
        java.util.List<String> given = info.channels(kind);
        if (given != null && given.size() == 4) {
            return ExrImages.read(file, given.toArray(String[]::new));
        }
        String[] rgb = required(kind);
        return ExrImages.readWithOptional(file, alphaBeside(rgb[0]), 1f, rgb);
    }

    /** The alpha channel of the layer (or part) {@code red} is in: R -> A, Color.R -> Color.A, beauty/R -> beauty/A. */
    static String alphaBeside(String red) {
        int cut = Math.max(red.lastIndexOf('.'), red.lastIndexOf('/'));
        return red.substring(0, cut + 1) + "A";
    }

    /** Where NaN/Inf reports go, one line each. */
    public void setWarnings(Consumer<String> warnings) {
        this.warnings = Objects.requireNonNull(warnings);
    }

    /** Reads and validates frame {@code index}. */
    public FrameImages read(int index) {
        if (index < 0 || index >= info.frames) {
            throw new UserException(dir + ": frame " + index + " out of range (0.." + (info.frames - 1) + ")");
        }
        Path colorFile = file(index, COLOR);
        FloatImage color = checked(colorFile, index, readRgba(colorFile, COLOR));

        Path motionFile = file(index, MOTION);
        FloatImage motion = checked(motionFile, index, ExrImages.read(motionFile, required(MOTION)));
        info.motion.toCanonical(motion, info.width, info.height);

        Path depthFile = file(index, DEPTH);
        FloatImage depth = null;
        if (reads(index, DEPTH)) {
            depth = checked(depthFile, index, ExrImages.readFirstChannel(depthFile, depthChannels()));
        }

        Path referenceFile = file(index, REFERENCE);
        FloatImage reference = null;
        if (reads(index, REFERENCE)) {
            reference = checked(referenceFile, index, readRgba(referenceFile, REFERENCE));
        }
        return new FrameImages(index, color, motion, depth, reference, info.jitterX(index), info.jitterY(index),
                info.isCut(index));
    }

    private void checkSize(Path file, int width, int height) {
        if (width != info.width || height != info.height) {
            throw new UserException(file + ": size " + width + "x" + height + ", expected "
                    + info.width + "x" + info.height);
        }
    }

    private FloatImage checked(Path file, int index, FloatImage img) {
        checkSize(file, img.width, img.height);
        int bad = img.replaceNonFinite(0f);
        if (bad > 0) {
            warnings.accept(file + ": frame " + index + " has " + bad + " NaN/Inf values (replaced by 0)");
        }
        return img;
    }
}
