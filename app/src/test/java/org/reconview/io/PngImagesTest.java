package org.reconview.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PngImagesTest {
    @TempDir
    Path tmp;

    @Test
    void writeThenRead8GivesSameBytes() {
        Random r = new Random(3);
        for (int c = 1; c <= 4; c++) {
            int w = 13, h = 7;
            byte[] px = new byte[w * h * c];
            r.nextBytes(px);
            px[0] = (byte) 255;
            px[1] = 0;
            Path f = tmp.resolve("img" + c + ".png");
            PngImages.write(f, w, h, c, px);
            FloatImage back = PngImages.read8(f);
            assertEquals(w, back.width);
            assertEquals(h, back.height);
            assertEquals(c, back.channels);
            for (int i = 0; i < px.length; i++) {
                assertEquals((px[i] & 0xff) / 255f, back.data[i], "byte " + i + " of " + c + " channels");
            }
        }
    }

    @Test
    void missingAndCorruptAreUserErrors() throws Exception {
        Path missing = tmp.resolve("none.png");
        UserException e = assertThrows(UserException.class, () -> PngImages.read8(missing));
        assertEquals(missing + ": not found", e.getMessage());

        Path text = tmp.resolve("text.png");
        Files.writeString(text, "hello");
        e = assertThrows(UserException.class, () -> PngImages.read8(text));
        assertTrue(e.getMessage().startsWith(text + ": cannot read image"), e.getMessage());

        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        Path under = file.resolve("a.png");
        e = assertThrows(UserException.class, () -> PngImages.write(under, 1, 1, 1, new byte[1]));
        assertTrue(e.getMessage().startsWith(under + ": cannot write"), e.getMessage());
    }
}
