package org.reconview.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.reconview.UserException;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.io.SequenceFolder;
import org.reconview.io.SequenceInfo;

/**
 * Whole rendered frames in memory, for crops taken on the fly ({@link CropSampler}): every sequence of the given
 * folders, each a sequence folder ({@code sequence.json}), a dataset folder (its {@code sequences/*}) or a folder of
 * sequence folders, with colour
 * (RGB, linear, 1 spp), motion (canonical: current to previous, pixels) and reference (RGB, linear) per frame, and
 * its shots (the frames between cuts), since a training window never spans a cut.
 */
public final class TrainingFrames {
    /** One sequence: per-frame planes, row-major, interleaved channels (RGB or XY). */
    public record Sequence(String name, int width, int height, List<int[]> shots, float[][] color, float[][] motion,
                           float[][] reference) {
        public int frames() {
            return color.length;
        }
    }

    private final List<Sequence> sequences;

    private TrainingFrames(List<Sequence> sequences) {
        this.sequences = Collections.unmodifiableList(sequences);
    }

    /** Builds frames from sequences already in memory (tests). */
    public static TrainingFrames of(List<Sequence> sequences) {
        return new TrainingFrames(new ArrayList<>(sequences));
    }

    /** The sequence folders under {@code dirs}: each is one, or a dataset folder whose sequences/ holds them. */
    public static List<Path> sequenceFolders(List<Path> dirs) {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.isRegularFile(d.resolve(SequenceInfo.FILE_NAME))) {
                out.add(d);
                continue;
            }
            if (!Files.isDirectory(d)) {
                throw new UserException(d + ": not found");
            }
            Path seqs = Files.isDirectory(d.resolve(DatasetInfo.SEQUENCES_DIR)) ? d.resolve(DatasetInfo.SEQUENCES_DIR)
                    : d;
            try (Stream<Path> s = Files.list(seqs)) {
                List<Path> found = s.filter(p -> Files.isRegularFile(p.resolve(SequenceInfo.FILE_NAME))).sorted()
                        .toList();
                if (found.isEmpty()) {
                    throw new UserException(d + ": neither a sequence folder (" + SequenceInfo.FILE_NAME
                            + "), a dataset folder (" + DatasetInfo.SEQUENCES_DIR + "/) nor a folder of finished"
                            + " sequences");
                }
                out.addAll(found);
            } catch (IOException e) {
                throw new UserException(seqs + ": cannot list (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /** Loads every frame of every sequence under {@code dirs}; sequences without references are refused. */
    public static TrainingFrames load(List<Path> dirs, Consumer<String> progress) {
        List<Sequence> out = new ArrayList<>();
        List<Path> folders = sequenceFolders(dirs);
        for (Path dir : folders) {
            SequenceFolder f = SequenceFolder.open(dir);
            SequenceInfo info = f.info();
            if (!info.hasReference) {
                throw new UserException(dir + ": sequence has no reference frames, which training needs");
            }
            int n = info.frames;
            int plane = info.width * info.height;
            float[][] color = new float[n][];
            float[][] motion = new float[n][];
            float[][] reference = new float[n][];
            for (int i = 0; i < n; i++) {
                FrameImages fr = f.read(i);
                color[i] = rgb(fr.color(), plane);
                reference[i] = rgb(fr.reference(), plane);
                motion[i] = new float[plane * 2];
                for (int p = 0; p < plane; p++) {
                    motion[i][2 * p] = fr.motion().data[p * fr.motion().channels];
                    motion[i][2 * p + 1] = fr.motion().data[p * fr.motion().channels + 1];
                }
                if (fr.cut()) {
                    // motion into a cut frame points at another shot; it is never used (the window starts there)
                    java.util.Arrays.fill(motion[i], 0f);
                }
            }
            // A name that tells sequences of different datasets apart: DATASET/SCENE (or PARENT/SEQUENCE).
            Path parent = dir.toAbsolutePath().normalize().getParent();
            if (parent != null && parent.getFileName() != null
                    && parent.getFileName().toString().equals(DatasetInfo.SEQUENCES_DIR) && parent.getParent() != null) {
                parent = parent.getParent();
            }
            String name = (parent != null && parent.getFileName() != null ? parent.getFileName() + "/" : "")
                    + dir.getFileName();
            out.add(new Sequence(name, info.width, info.height,
                    DatasetBlocks.shots(n, info.cuts), color, motion, reference));
            progress.accept("loaded " + dir + " (" + n + " frames, " + info.width + "x" + info.height + ")");
        }
        return new TrainingFrames(out);
    }

    private static float[] rgb(FloatImage img, int plane) {
        float[] out = new float[plane * 3];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                float v = img.data[p * img.channels + c];
                out[p * 3 + c] = Float.isFinite(v) ? v : 0f;
            }
        }
        return out;
    }

    public List<Sequence> sequences() {
        return sequences;
    }

    /** Frames over all sequences. */
    public int frames() {
        return sequences.stream().mapToInt(Sequence::frames).sum();
    }

    /** A one-line summary for logs and model cards. */
    public String describe() {
        long px = 0;
        java.util.TreeMap<String, Integer> sizes = new java.util.TreeMap<>();
        for (Sequence s : sequences) {
            px += (long) s.width() * s.height() * s.frames();
            sizes.merge(s.width() + "x" + s.height(), s.frames(), Integer::sum);
        }
        return sequences.size() + " sequences, " + frames() + " frames (" + sizes.toString().replace("{", "")
                .replace("}", "").replace("=", ": ") + "), " + String.format(java.util.Locale.ROOT, "%.1f", px / 1e6)
                + " Mpx";
    }
}
