package org.reconview.scene;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TextTextureTest {
    @Test
    void rasterizesInkInsideTheImageAndNothingForBlankText() {
        byte[] text = TextTexture.rasterize("The quick brown fox jumps\nover the lazy dog.\n0123456789 +-*/=%&@#");
        int ink = 0;
        for (byte b : text) {
            ink += (b & 0xff) > 128 ? 1 : 0;
        }
        // Three lines of glyphs cover a few percent of the texture, not nothing and not everything.
        assertTrue(ink > text.length / 100 && ink < text.length / 4, "ink pixels " + ink);
        byte[] blank = TextTexture.rasterize("   ");
        for (byte b : blank) {
            assertEquals(0, b);
        }
    }

    @Test
    void isDeterministic() {
        assertArrayEquals(TextTexture.rasterize("OPEN ALL NIGHT"), TextTexture.rasterize("OPEN ALL NIGHT"));
    }
}
