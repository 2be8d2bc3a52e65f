package org.reconview.io;

import org.reconview.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writer of a sequence folder in the layout {@link SequenceFolder} reads: {@link #write} stores a frame's EXR files
 * atomically (color RGBA, motion RG in the canonical convention, depth Z and reference RGBA when present);
 * {@link #finish} writes {@code sequence.json} last, so a folder without it is an unfinished render. The json written
 * takes motion = canonical and the per-frame jitter and cuts from the frames written.
 */
public final class SequenceWriter {
    private final Path dir;
    private final SequenceInfo info;
    private final boolean[] written;
    private final float[][] jitter;
    private final boolean[] cut;
    /** Whether frames already in the folder belong to an interrupted render with the same settings. */
    private final boolean resumable;

    /** Settings of a render in progress; removed when sequence.json is written. */
    static final String PARTIAL_FILE = ".sequence.partial.json";

    private SequenceWriter(Path dir, SequenceInfo info, boolean resumable) {
        this.dir = dir;
        this.info = info;
        this.resumable = resumable;
        this.written = new boolean[info.frames];
        this.jitter = new float[info.frames][];
        this.cut = new boolean[info.frames];
    }

    /**
     * Creates {@code dir} (and its parents) and checks that it is writable by creating and deleting a probe file; an
     * existing {@code sequence.json} there is removed (the folder is unfinished until {@link #finish}). The settings
     * are recorded in {@value #PARTIAL_FILE} so that an interrupted render can be resumed.
     */
    public static SequenceWriter create(Path dir, SequenceInfo info) {
        return create(dir, info, false);
    }

    /**
     * {@link #create}, refusing a folder that already holds another sequence's frames (they would be left behind,
     * mixed with the new ones) unless {@code replace}, which removes them first.
     */
    public static SequenceWriter create(Path dir, SequenceInfo info, boolean replace) {
        List<Path> old = sequenceFiles(dir);
        if (!old.isEmpty()) {
            if (!replace) {
                throw new UserException(dir + ": holds another sequence (" + old.size() + " files); --resume"
                        + " continues an interrupted render of the same settings, --replace removes it first");
            }
            try {
                for (Path f : old) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                throw new UserException(dir + ": cannot remove the old sequence (" + FileIo.reason(e) + ")");
            }
        }
        return open(dir, info, false);
    }

    /** The files of a sequence in {@code dir}: frames (NNNN.kind.exr), sequence.json, the partial-render record. */
    static List<Path> sequenceFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.matches("\\d{4,}\\.(color|motion|depth|reference)\\.exr") || n.equals(SequenceInfo.FILE_NAME)
                        || n.equals(PARTIAL_FILE);
            }).sorted().toList();
        } catch (IOException e) {
            throw new UserException(dir + ": cannot list (" + FileIo.reason(e) + ")");
        }
    }

    /**
     * Like {@link #create}, but keeps the frames of an interrupted render of the same settings ({@link #isOnDisk}).
     * Fails with a one-line error when the interrupted render used other settings; with nothing to resume it is
     * {@link #create}.
     */
    public static SequenceWriter resume(Path dir, SequenceInfo info) {
        return open(dir, info, true);
    }

    private static SequenceWriter open(Path dir, SequenceInfo info, boolean resume) {
        info.validate("sequence info");
        String settings = info.toJson();
        Path partial = dir.resolve(PARTIAL_FILE);
        boolean resumable = false;
        try {
            if (resume && Files.isRegularFile(partial)) {
                if (!Files.readString(partial).equals(settings)) {
                    throw new UserException(dir + ": cannot --resume: the interrupted render there used other"
                            + " settings (see " + PARTIAL_FILE + "); render without --resume to start over");
                }
                resumable = true;
            }
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            Path probe = dir.resolve(".reconview-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            Files.createFile(probe);
            Files.delete(probe);
            Files.deleteIfExists(dir.resolve(SequenceInfo.FILE_NAME));
        } catch (IOException e) {
            String why = FileIo.reason(e);
            if (e instanceof java.nio.file.FileAlreadyExistsException && !Files.isDirectory(dir)) {
                why = "exists and is not a folder";
            }
            throw new UserException(dir + ": cannot write (" + why + ")");
        }
        removeStaleTemporaries(dir);
        FileIo.writeAtomic(partial, settings.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new SequenceWriter(dir, info, resumable);
    }

    public Path dir() {
        return dir;
    }

    public SequenceInfo info() {
        return info;
    }

    /** Writes one frame; its images must have the sequence's size, depth/reference present as has_depth/has_reference say. */
    public void write(FrameImages f) {
        int i = f.index();
        if (i >= info.frames) {
            throw new IllegalArgumentException("frame " + i + " outside 0.." + (info.frames - 1));
        }
        check("color", f.color(), 3, 4);
        check("motion", f.motion(), 2, 2);
        if ((f.depth() != null) != info.hasDepth) {
            throw new IllegalArgumentException("frame " + i + (f.depth() == null ? " has no depth but has_depth is set"
                    : " has depth but has_depth is not set"));
        }
        if ((f.reference() != null) != info.hasReference) {
            throw new IllegalArgumentException("frame " + i + (f.reference() == null
                    ? " has no reference but has_reference is set" : " has a reference but has_reference is not set"));
        }
        if (f.depth() != null) {
            check("depth", f.depth(), 1, 1);
        }
        if (f.reference() != null) {
            check("reference", f.reference(), 3, 4);
        }
        ExrImages.write(file(i, SequenceFolder.COLOR), f.color(), rgba(f.color().channels));
        ExrImages.write(file(i, SequenceFolder.MOTION), f.motion(), "R", "G");
        if (f.depth() != null) {
            ExrImages.write(file(i, SequenceFolder.DEPTH), f.depth(), "Z");
        }
        if (f.reference() != null) {
            ExrImages.write(file(i, SequenceFolder.REFERENCE), f.reference(), rgba(f.reference().channels));
        }
        written[i] = true;
        jitter[i] = new float[] {f.jitterX(), f.jitterY()};
        cut[i] = f.cut() || i == 0;
    }

    /**
     * Whether frame {@code index} is already complete on disk from an interrupted render with the same settings
     * (opened with {@link #resume}). Files are renamed into place only when whole, so an existing file is complete.
     */
    public boolean isOnDisk(int index) {
        if (!resumable) {
            return false;
        }
        Boolean known = verified.get(index);
        if (known == null) {
            known = decodes(index, SequenceFolder.COLOR, "R", "G", "B") && decodes(index, SequenceFolder.MOTION, "R", "G")
                    && (!info.hasDepth || decodes(index, SequenceFolder.DEPTH, "Z"))
                    && (!info.hasReference || decodes(index, SequenceFolder.REFERENCE, "R", "G", "B"));
            verified.put(index, known);
        }
        return known;
    }

    /**
     * Whether a kept frame's file decodes whole, at the sequence's size, with the channels it needs: files are renamed
     * into place only when whole, but a file can still be damaged or left by another program; such a frame is
     * rendered again.
     */
    private boolean decodes(int index, String kind, String... channels) {
        Path f = file(index, kind);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        try {
            FloatImage img = ExrImages.read(f, channels);
            return img.width == info.width && img.height == info.height;
        } catch (UserException e) {
            return false;
        }
    }

    /** Removes temporary files ({@code .NAME.tmp-*}) that a crashed write left. */
    private static void removeStaleTemporaries(Path dir) {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.contains(".tmp-") && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UserException(dir + ": cannot clean up temporary files (" + FileIo.reason(e) + ")");
        }
    }

    /**
     * Counts a frame that an earlier, interrupted run already wrote (see {@link #isOnDisk}) as written, with the jitter
     * and cut flag it was rendered with: this is how a deterministic render resumes.
     */
    private final java.util.Map<Integer, Boolean> verified = new java.util.HashMap<>();

    public void adopt(int index, float jitterX, float jitterY, boolean isCut) {
        if (!isOnDisk(index)) {
            throw new IllegalStateException("frame " + index + " is not on disk");
        }
        written[index] = true;
        jitter[index] = new float[] {jitterX, jitterY};
        cut[index] = isCut || index == 0;
    }

    /** Writes {@code sequence.json}; every frame must have been written. */
    public void finish() {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < written.length; i++) {
            if (!written[i]) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(dir + ": frames not written: "
                    + (missing.size() > 10 ? missing.subList(0, 10) + "..." : missing));
        }
        info.motion = MotionConvention.canonical();
        boolean anyJitter = false;
        for (float[] j : jitter) {
            anyJitter |= j[0] != 0f || j[1] != 0f;
        }
        info.jitter = new ArrayList<>();
        if (anyJitter) {
            for (float[] j : jitter) {
                info.jitter.add(j);
            }
        }
        info.cuts = new ArrayList<>();
        for (int i = 0; i < cut.length; i++) {
            if (cut[i]) {
                info.cuts.add(i);
            }
        }
        info.write(dir.resolve(SequenceInfo.FILE_NAME));
        try {
            Files.deleteIfExists(dir.resolve(PARTIAL_FILE));
        } catch (IOException e) {
            throw new UserException(dir.resolve(PARTIAL_FILE) + ": cannot remove (" + FileIo.reason(e) + ")");
        }
    }

    private Path file(int index, String kind) {
        return dir.resolve(SequenceFolder.fileName(index, kind));
    }

    private void check(String what, FloatImage img, int minChannels, int maxChannels) {
        if (img.width != info.width || img.height != info.height) {
            throw new IllegalArgumentException(what + " is " + img.width + "x" + img.height + ", sequence is "
                    + info.width + "x" + info.height);
        }
        if (img.channels < minChannels || img.channels > maxChannels) {
            throw new IllegalArgumentException(what + " has " + img.channels + " channels");
        }
    }

    private static String[] rgba(int channels) {
        return channels == 4 ? new String[] {"R", "G", "B", "A"} : new String[] {"R", "G", "B"};
    }
}
