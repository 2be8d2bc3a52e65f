package org.reconview.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.reconview.UserException;

/**
 * Reads a finished dataset folder ({@code dataset.json} plus {@code blocks/NNNNNN.bin}, see {@link DatasetBlockFile}):
 * lists its blocks and loads one as float arrays, checking that each file's header agrees with {@code dataset.json}
 * (block size, channels). Problems are one-line {@link UserException}s naming the file.
 */
public final class DatasetReader {
    private final Path dir;
    private final DatasetInfo info;

    private DatasetReader(Path dir, DatasetInfo info) {
        this.dir = dir;
        this.info = info;
    }

    /** Opens {@code dir}; a folder without {@code dataset.json} is an unfinished dataset. */
    public static DatasetReader open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + (Files.exists(dir) ? ": not a folder" : ": not found"));
        }
        Path json = dir.resolve(DatasetInfo.FILE_NAME);
        if (!Files.isRegularFile(json)) {
            throw new UserException(dir + ": no " + DatasetInfo.FILE_NAME
                    + " (an unfinished dataset: finish it with 'dataset ... --resume')");
        }
        return new DatasetReader(dir, DatasetInfo.read(json));
    }

    public DatasetInfo info() {
        return info;
    }

    public Path dir() {
        return dir;
    }

    /** Number of blocks. */
    public int size() {
        return info.blockList.size();
    }

    /** The block entries of dataset.json, in file order. */
    public List<DatasetInfo.BlockEntry> blocks() {
        return info.blockList;
    }

    public Path file(int index) {
        return dir.resolve(DatasetInfo.BLOCKS_DIR).resolve(info.blockList.get(index).file);
    }

    /** Loads block {@code index}: its header and values {@code [t][y][x][c]} (see {@link DatasetBlockFile}). */
    public DatasetBlockFile.Block load(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("block " + index + " of " + size());
        }
        Path file = file(index);
        DatasetBlockFile.Block b = DatasetBlockFile.read(file);
        DatasetBlockFile.Header h = b.header();
        int[] size = info.settings.block;
        if (h.nt() != size[0] || h.nx() != size[1] || h.ny() != size[2]) {
            throw new UserException(file + ": block is " + h.nt() + "x" + h.nx() + "x" + h.ny() + ", "
                    + DatasetInfo.FILE_NAME + " says " + size[0] + "x" + size[1] + "x" + size[2]);
        }
        if (!h.channels().equals(info.channels)) {
            throw new UserException(file + ": channels " + String.join(",", h.channels()) + ", "
                    + DatasetInfo.FILE_NAME + " says " + String.join(",", info.channels));
        }
        return b;
    }
}
