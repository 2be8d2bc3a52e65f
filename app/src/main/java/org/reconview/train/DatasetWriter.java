package org.reconview.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.reconview.ProjectPaths;
import org.reconview.UserException;
import org.reconview.color.Pq;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.io.SequenceFolder;
import org.reconview.io.TextFiles;

/**
 * Cuts rendered sequences ({@code DIR/sequences/SCENE/}) into training blocks: lists the candidate blocks of every
 * scene ({@link DatasetBlocks#candidates}, never across a cut), measures each one's difficulty in one streaming pass
 * over the frames (mean |PQ(color) - PQ(reference)| over the block), culls easy blocks ({@link DatasetBlocks#cull}),
 * writes the kept ones to {@code DIR/blocks/NNNNNN.bin} ({@link DatasetBlockFile}) and {@code DIR/dataset.json} last.
 * Resuming keeps block files already on disk (they are renamed into place whole; their size is checked).
 */
public final class DatasetWriter {
    /** Makes a progress display: returns what to call with the amount done. */
    public interface Progress {
        IntConsumer bar(String label, int total, String unit);
    }

    /** What was done: the dataset.json written, and how many block files were written now or kept from before. */
    public record Result(DatasetInfo info, int written, int kept) {
    }

    private DatasetWriter() {
    }

    /** The file name of block {@code index}. */
    public static String blockName(int index) {
        return String.format(java.util.Locale.ROOT, "%06d.bin", index);
    }

    public static Result write(Path dir, DatasetInfo.Settings s, boolean resume, String version, Progress progress,
            Consumer<String> warnings) {
        return write(dir, s, resume, version, progress, warnings, new DatasetInfo.Cost());
    }

    /** {@link #write} recording what the dataset cost ({@code cost}: rendering filled in by the caller). */
    public static Result write(Path dir, DatasetInfo.Settings s, boolean resume, String version, Progress progress,
            Consumer<String> warnings, DatasetInfo.Cost cost) {
        long t0 = System.nanoTime();
        DatasetBlocks.Geometry g = s.geometry();
        int nScenes = s.scenes.size();
        SequenceFolder[] seqs = new SequenceFolder[nScenes];
        List<List<DatasetBlocks.Block>> perScene = new ArrayList<>();
        int[] shots = new int[nScenes];
        for (int i = 0; i < nScenes; i++) {
            seqs[i] = SequenceFolder.open(dir.resolve(DatasetInfo.SEQUENCES_DIR).resolve(s.scenes.get(i)));
            seqs[i].setWarnings(warnings);
            var si = seqs[i].info();
            if (si.width != s.width || si.height != s.height || si.frames != s.frames || !si.hasReference) {
                throw new UserException(seqs[i].dir() + ": sequence is " + si.width + "x" + si.height + ", "
                        + si.frames + " frames" + (si.hasReference ? "" : ", no reference") + "; the dataset needs "
                        + s.width + "x" + s.height + ", " + s.frames + " frames with references");
            }
            shots[i] = DatasetBlocks.shots(si.frames, si.cuts).size();
            perScene.add(DatasetBlocks.candidates(i, si.width, si.height, si.frames, si.cuts, g));
        }

        // Difficulty: one pass over the frames that any candidate covers.
        int totalFrames = 0;
        for (int i = 0; i < nScenes; i++) {
            totalFrames += coveredFrames(perScene.get(i), s.frames, g.nt()).length;
        }
        IntConsumer bar = progress.bar("difficulty", totalFrames, "frames");
        bar.accept(0);
        List<DatasetBlocks.Block> all = new ArrayList<>();
        List<Double> difficulties = new ArrayList<>();
        int done = 0;
        for (int i = 0; i < nScenes; i++) {
            List<DatasetBlocks.Block> cands = perScene.get(i);
            double[] sums = new double[cands.size()];
            for (int f : coveredFrames(cands, s.frames, g.nt())) {
                FrameImages fr = seqs[i].read(f);
                float[] d = pqDifference(fr.color(), fr.reference());
                for (int c = 0; c < cands.size(); c++) {
                    DatasetBlocks.Block b = cands.get(c);
                    if (f >= b.frame() && f < b.frame() + g.nt()) {
                        sums[c] += rectSum(d, s.width, b.x(), b.y(), g.nx(), g.ny());
                    }
                }
                bar.accept(++done);
            }
            double n = 3.0 * g.nt() * g.nx() * g.ny();
            for (int c = 0; c < cands.size(); c++) {
                all.add(cands.get(c));
                difficulties.add(sums[c] / n);
            }
        }
        if (all.isEmpty()) {
            throw new UserException("--block " + g.nt() + "x" + g.nx() + "x" + g.ny() + ": no block fits in "
                    + s.width + "x" + s.height + " frames of " + s.frames + "-frame sequences (shots of "
                    + "the listed scenes are shorter than " + g.nt() + " frames or the image is smaller than a block)");
        }
        double[] diff = difficulties.stream().mapToDouble(Double::doubleValue).toArray();
        long[] keys = new long[all.size()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = DatasetBlocks.key(s.scenes.get(all.get(k).scene()), all.get(k));
        }
        boolean[] keep = DatasetBlocks.cull(diff, keys, s.keepEasy, s.seed);

        DatasetInfo info = new DatasetInfo();
        info.settings = s;
        info.version = version;
        info.commit = org.reconview.ProjectPaths.commit();
        info.candidates = all.size();
        info.difficulty = new DatasetInfo.Difficulty();
        info.difficulty.min = Arrays.stream(diff).min().orElse(0);
        info.difficulty.max = Arrays.stream(diff).max().orElse(0);
        info.difficulty.mean = mean(diff, null);
        info.difficulty.median = DatasetBlocks.median(diff);
        info.difficulty.keptMean = mean(diff, keep);
        List<Integer> keptIndex = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < nScenes; i++) {
            DatasetInfo.SceneStats st = new DatasetInfo.SceneStats();
            st.scene = s.scenes.get(i);
            st.sequence = DatasetInfo.SEQUENCES_DIR + "/" + st.scene;
            st.shots = shots[i];
            st.candidates = perScene.get(i).size();
            double sum = 0;
            for (int c = 0; c < st.candidates; c++, k++) {
                sum += diff[k];
                if (keep[k]) {
                    st.kept++;
                    DatasetBlocks.Block b = all.get(k);
                    DatasetInfo.BlockEntry e = new DatasetInfo.BlockEntry();
                    e.file = blockName(info.blockList.size());
                    e.scene = st.scene;
                    e.frame = b.frame();
                    e.x = b.x();
                    e.y = b.y();
                    e.difficulty = diff[k];
                    info.blockList.add(e);
                    keptIndex.add(k);
                }
            }
            st.meanDifficulty = st.candidates == 0 ? 0 : sum / st.candidates;
            info.perScene.add(st);
        }
        info.blocks = info.blockList.size();

        // The blocks, in order; frames are read once per scene through a window of nt frames.
        Path blocksDir = dir.resolve(DatasetInfo.BLOCKS_DIR);
        try {
            Files.createDirectories(blocksDir);
        } catch (IOException e) {
            throw new UserException(blocksDir + ": cannot create (" + e.getMessage() + ")");
        }
        bar = progress.bar("blocks", info.blocks, "blocks");
        bar.accept(0);
        int written = 0;
        int kept = 0;
        Map<Integer, FrameImages> window = new HashMap<>();
        int windowScene = -1;
        for (int j = 0; j < info.blocks; j++) {
            int c = keptIndex.get(j);
            DatasetBlocks.Block b = all.get(c);
            DatasetBlockFile.Header h = new DatasetBlockFile.Header(g.nt(), g.nx(), g.ny(), DatasetBlockFile.CHANNELS,
                    b.scene(), b.frame(), b.x(), b.y(), (float) diff[c]);
            Path file = blocksDir.resolve(blockName(j));
            if (resume && isWhole(file, h)) {
                kept++;
            } else {
                if (b.scene() != windowScene) {
                    window.clear();
                    windowScene = b.scene();
                }
                window.keySet().removeIf(f -> f < b.frame());
                FrameImages[] frames = new FrameImages[g.nt()];
                for (int t = 0; t < g.nt(); t++) {
                    SequenceFolder seq = seqs[b.scene()];
                    frames[t] = window.computeIfAbsent(b.frame() + t, seq::read);
                }
                DatasetBlockFile.write(file, h, extract(frames, b.x(), b.y(), g.nx(), g.ny()));
                written++;
            }
            bar.accept(j + 1);
        }
        cost.blockSeconds = Math.round((System.nanoTime() - t0) / 1e6) / 1e3;
        cost.frames = (long) s.frames * nScenes;
        cost.pixels = cost.frames * s.width * s.height;
        cost.sequenceBytes = bytes(dir.resolve(DatasetInfo.SEQUENCES_DIR));
        cost.blockBytes = bytes(blocksDir);
        info.cost = cost;
        TextFiles.writeAtomic(dir.resolve(DatasetInfo.FILE_NAME), info.toJson());
        return new Result(info, written, kept);
    }

    private static long bytes(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The frames (ascending) that at least one candidate covers. */
    static int[] coveredFrames(List<DatasetBlocks.Block> cands, int frames, int nt) {
        boolean[] used = new boolean[frames];
        for (DatasetBlocks.Block b : cands) {
            for (int t = 0; t < nt; t++) {
                used[b.frame() + t] = true;
            }
        }
        return java.util.stream.IntStream.range(0, frames).filter(f -> used[f]).toArray();
    }

    /** Per pixel: sum over R, G, B of |PQ(color) - PQ(reference)|. */
    static float[] pqDifference(FloatImage color, FloatImage reference) {
        int n = color.width * color.height;
        float[] d = new float[n];
        for (int p = 0; p < n; p++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += Math.abs(Pq.encode((double) color.data[p * color.channels + c])
                        - Pq.encode((double) reference.data[p * reference.channels + c]));
            }
            d[p] = (float) sum;
        }
        return d;
    }

    private static double rectSum(float[] d, int width, int x0, int y0, int nx, int ny) {
        double sum = 0;
        for (int y = y0; y < y0 + ny; y++) {
            int row = y * width;
            for (int x = x0; x < x0 + nx; x++) {
                sum += d[row + x];
            }
        }
        return sum;
    }

    /** The block's values {@code [t][y][x][c]} with {@link DatasetBlockFile#CHANNELS}. */
    static float[] extract(FrameImages[] frames, int x0, int y0, int nx, int ny) {
        int nc = DatasetBlockFile.CHANNELS.size();
        float[] out = new float[frames.length * ny * nx * nc];
        int o = 0;
        for (FrameImages f : frames) {
            FloatImage col = f.color();
            FloatImage mot = f.motion();
            FloatImage ref = f.reference();
            for (int y = y0; y < y0 + ny; y++) {
                for (int x = x0; x < x0 + nx; x++) {
                    int p = y * col.width + x;
                    out[o++] = col.data[p * col.channels];
                    out[o++] = col.data[p * col.channels + 1];
                    out[o++] = col.data[p * col.channels + 2];
                    out[o++] = mot.data[p * mot.channels];
                    out[o++] = mot.data[p * mot.channels + 1];
                    out[o++] = ref.data[p * ref.channels];
                    out[o++] = ref.data[p * ref.channels + 1];
                    out[o++] = ref.data[p * ref.channels + 2];
                }
            }
        }
        return out;
    }

    private static boolean isWhole(Path file, DatasetBlockFile.Header h) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == h.fileBytes();
        } catch (IOException e) {
            return false;
        }
    }

    private static double mean(double[] v, boolean[] mask) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (mask == null || mask[i]) {
                sum += v[i];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
