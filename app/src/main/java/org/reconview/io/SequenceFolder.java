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

    public Path file(int index, String kind) {
        return dir.resolve(fileName(index, kind));
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
        FloatImage color = checked(colorFile, index,
                ExrImages.readWithOptional(colorFile, "A", 1f, "R", "G", "B"));

        Path motionFile = file(index, MOTION);
        FloatImage motion = checked(motionFile, index, ExrImages.read(motionFile, "R", "G"));
        info.motion.toCanonical(motion, info.width, info.height);

        Path depthFile = file(index, DEPTH);
        FloatImage depth = null;
        if (info.hasDepth || Files.exists(depthFile)) {
            depth = checked(depthFile, index, ExrImages.readFirstChannel(depthFile, "Z", "R", "Y"));
        }

        Path referenceFile = file(index, REFERENCE);
        FloatImage reference = null;
        if (info.hasReference || Files.exists(referenceFile)) {
            reference = checked(referenceFile, index,
                    ExrImages.readWithOptional(referenceFile, "A", 1f, "R", "G", "B"));
        }
        return new FrameImages(index, color, motion, depth, reference, info.jitterX(index), info.jitterY(index),
                info.isCut(index));
    }

    private FloatImage checked(Path file, int index, FloatImage img) {
        if (img.width != info.width || img.height != info.height) {
            throw new UserException(file + ": size " + img.width + "x" + img.height + ", expected "
                    + info.width + "x" + info.height);
        }
        int bad = img.replaceNonFinite(0f);
        if (bad > 0) {
            warnings.accept(file + ": frame " + index + " has " + bad + " NaN/Inf values (replaced by 0)");
        }
        return img;
    }
}
