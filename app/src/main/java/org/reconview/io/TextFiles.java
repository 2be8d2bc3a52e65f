package org.reconview.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Text outputs (JSON, CSV) written atomically: a temporary name in the same folder, then a rename. */
public final class TextFiles {
    private TextFiles() {
    }

    public static void writeAtomic(Path file, String text) {
        FileIo.writeAtomic(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
