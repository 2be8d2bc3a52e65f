package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.reconview.cli.DatasetTiny.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.train.DatasetReader;

/** dataset --resume finishes an interrupted run to the same bytes; other settings restart or are refused. */
class DatasetResumeTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    @Test
    void anInterruptedRunResumesToTheSameBytes(@TempDir Path tmp) throws Exception {
        Path full = DatasetTiny.get();
        Path dir = tmp.resolve("r");
        copyTree(full, dir);
        // Interrupted: no dataset.json, some blocks missing, one sequence unfinished (no sequence.json, last frame
        // missing), and a temporary file of a block being written.
        int n = DatasetReader.open(full).size();
        Files.delete(dir.resolve("dataset.json"));
        for (int i : new int[] {0, 5, n - 1}) {
            Files.delete(dir.resolve(String.format("blocks/%06d.bin", i)));
        }
        Files.write(dir.resolve("blocks/.000005.bin.tmp-1234abcd"), new byte[] {1, 2, 3});
        Files.delete(dir.resolve("sequences/signs/sequence.json"));
        Files.delete(dir.resolve("sequences/signs/0011.color.exr"));
        Path keptBlock = dir.resolve("blocks/000001.bin");
        Path keptFrame = dir.resolve("sequences/garden/0003.color.exr");
        long blockTime = Files.getLastModifiedTime(keptBlock).toMillis();
        long frameTime = Files.getLastModifiedTime(keptFrame).toMillis();
        Thread.sleep(20);

        Result r = dataset(dir, with(SETTINGS, "--resume"));
        assertEquals(0, r.code(), r::err);
        assertTrue(r.out().contains("resumed: kept") && r.out().contains(" and " + (n - 3) + " block files"),
                r::out);
        assertEquals(blockTime, Files.getLastModifiedTime(keptBlock).toMillis(), "block 1 kept, not rewritten");
        assertEquals(frameTime, Files.getLastModifiedTime(keptFrame).toMillis(), "garden not rendered again");
        assertSameFiles(full, dir);
    }

    @Test
    void resumingWithOtherSettingsIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("r");
        copyTree(DatasetTiny.get(), dir);
        Files.delete(dir.resolve("dataset.json"));
        Result r = dataset(dir, with(SETTINGS, "--keep-easy", "0.5", "--resume"));
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().filter(l -> !l.isBlank()).count(), r.err());
        assertTrue(r.err().contains("cannot --resume"), r.err());
    }

    @Test
    void otherSettingsWithoutResumeStartOver(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("r");
        copyTree(DatasetTiny.get(), dir);
        int before = DatasetReader.open(dir).size();
        String[] other = SETTINGS.clone();
        other[List.of(other).indexOf("--stride-space") + 1] = "16";
        Result r = dataset(dir, other);
        assertEquals(0, r.code(), r::err);
        assertFalse(r.out().contains("kept"), r::out);
        DatasetReader after = DatasetReader.open(dir);
        assertEquals(16, after.info().settings.strideX);
        // 2x2 corners now: (5 + 4) x 4 candidates.
        assertEquals(36, after.info().candidates);
        try (var files = Files.list(dir.resolve("blocks"))) {
            assertEquals(after.size(), files.count(), "no stale blocks of the old settings (had " + before + ")");
        }
        for (int i = 0; i < after.size(); i++) {
            assertEquals(0, after.load(i).header().x() % 16);
        }
    }
}
