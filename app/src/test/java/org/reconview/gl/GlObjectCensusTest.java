package org.reconview.gl;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.opengl.GL45C.GL_RGBA32F;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;

/** The census sees objects GL holds, made by the wrappers or not, and stops counting them once deleted. */
class GlObjectCensusTest {
    @Test
    void countsWhatIsMadeAndForgetsWhatIsDeleted() {
        GlTest.context();
        Map<String, Integer> before = GlObjectCensus.count();
        Texture2D t = new Texture2D(8, 8, GL_RGBA32F);
        StorageBuffer b = new StorageBuffer(new float[] {1, 2, 3});
        int raw = org.lwjgl.opengl.GL45C.glCreateBuffers(); // not through a wrapper
        ShaderProgram p = ShaderProgram.compute("recon/warp.comp", Map.of());
        Map<String, Integer> during = GlObjectCensus.count();
        assertEquals(before.get("textures") + 1, during.get("textures"));
        assertEquals(before.get("buffers") + 2, during.get("buffers"));
        assertEquals(before.get("programs") + 1, during.get("programs"));
        assertEquals(GlObjectCensus.total(before) + 4, GlObjectCensus.total(during));
        t.close();
        b.close();
        org.lwjgl.opengl.GL45C.glDeleteBuffers(raw);
        p.use(); // deleted while current: GL only flags it, which is not a leak
        p.close();
        assertEquals(before, GlObjectCensus.count());
        org.lwjgl.opengl.GL45C.glUseProgram(0);
    }
}
