package org.reconview.train;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reconview.UserException;

/**
 * The model of a dataset folder's {@code dataset.json} (snake_case keys, Gson), written last by {@code dataset}: the
 * settings it was made with, the block file format, per-scene counts, difficulty statistics and the list of block
 * files. {@link Settings} alone is also what {@code --resume} compares.
 */
public final class DatasetInfo {
    public static final String FORMAT = "reconview-dataset/1";
    public static final String FILE_NAME = "dataset.json";
    /** The settings of a dataset in progress or finished, compared by {@code --resume}. */
    public static final String SETTINGS_FILE = ".dataset.settings.json";
    public static final String BLOCKS_DIR = "blocks";
    public static final String SEQUENCES_DIR = "sequences";

    /** What determines a dataset's bytes; equal settings give byte-identical folders (but for {@link Cost}). */
    public static final class Settings {
        public String format = FORMAT;
        /** Built-in scene names, in block order. */
        public List<String> scenes = new ArrayList<>();
        public int width;
        public int height;
        public int frames;
        /** Scene frame rendered as sequence frame 0. */
        public int start;
        public int spp;
        public int jitterPeriod;
        /** Scene layout seed and culling seed. */
        public long seed;
        /** {@code [nt, nx, ny]}: frames, columns, rows of a block. */
        public int[] block;
        public int strideTime;
        public int strideX;
        public int strideY;
        public double keepEasy;

        public DatasetBlocks.Geometry geometry() {
            return new DatasetBlocks.Geometry(block[0], block[1], block[2], strideTime, strideX, strideY);
        }

        public String toJson() {
            return GSON.toJson(this) + "\n";
        }
    }

    /** One scene's sequence and counts. */
    public static final class SceneStats {
        public String scene;
        /** The sequence folder, relative to the dataset folder. */
        public String sequence;
        public int shots;
        public int candidates;
        public int kept;
        public double meanDifficulty;
    }

    /** Difficulty (the culling criterion) over all candidate blocks. */
    public static final class Difficulty {
        public String metric = "mean over the block's pixels, frames and R,G,B of |PQ(color) - PQ(reference)|"
                + " (1-spp input against the reference, PQ of color/Pq, 1000 nits)";
        public double min;
        public double median;
        public double mean;
        public double max;
        public double keptMean;
    }

    /** What the dataset took: its size on disk and the time to make it. */
    public static final class Cost {
        /** Frames over all sequences, and their pixels. */
        public long frames;
        public long pixels;
        /** Frames rendered by the run that finished the dataset, and its rendering time (--resume keeps others). */
        public int framesRendered;
        public double renderSeconds;
        /** Difficulty pass and block files. */
        public double blockSeconds;
        public long sequenceBytes;
        public long blockBytes;
    }

    /** One block file. */
    public static final class BlockEntry {
        /** File name inside {@code blocks/}. */
        public String file;
        public String scene;
        /** First frame of the block in the scene's sequence. */
        public int frame;
        public int x;
        public int y;
        public double difficulty;
    }

    public String format = FORMAT;
    public Settings settings;
    public String version;
    public String commit;
    /** Block file format: see {@link DatasetBlockFile}. */
    public int blockFormatVersion = DatasetBlockFile.VERSION;
    public String blockLayout = DatasetBlockFile.LAYOUT;
    public String encoding = "linear";
    public List<String> channels = DatasetBlockFile.CHANNELS;
    public int candidates;
    public int blocks;
    public Difficulty difficulty;
    public List<SceneStats> perScene = new ArrayList<>();
    public Cost cost;
    public List<BlockEntry> blockList = new ArrayList<>();

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

    public String toJson() {
        return GSON.toJson(this) + "\n";
    }

    /** Reads {@code dataset.json} and checks what a reader relies on; problems are one-line errors naming the file. */
    public static DatasetInfo read(Path json) {
        String text;
        try {
            text = Files.readString(json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserException(json + ": cannot read (" + (Files.exists(json) ? e.getMessage() : "not found")
                    + ")");
        }
        DatasetInfo info;
        try {
            info = GSON.fromJson(text, DatasetInfo.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new UserException(json + ": malformed JSON");
        }
        if (info == null) {
            throw new UserException(json + ": empty file");
        }
        if (!FORMAT.equals(info.format)) {
            throw new UserException(json + ": format '" + info.format + "' unsupported (expected " + FORMAT + ")");
        }
        Settings s = info.settings;
        if (s == null || s.block == null || s.block.length != 3 || s.block[0] < 1 || s.block[1] < 1
                || s.block[2] < 1) {
            throw new UserException(json + ": settings.block missing or not [nt, nx, ny] of positive sizes");
        }
        if (info.blockList == null || info.blockList.size() != info.blocks) {
            throw new UserException(json + ": block_list has " + (info.blockList == null ? 0 : info.blockList.size())
                    + " entries, blocks says " + info.blocks);
        }
        if (info.channels == null || info.channels.isEmpty()) {
            throw new UserException(json + ": channels missing");
        }
        return info;
    }
}
