package org.reconview.scene;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.UserException;
import org.reconview.io.FrameImages;
import org.reconview.source.LiveFrameSource;

/** A user's mesh file through Assimp: fitted, lit and orbited; a bad file is a one-line error. */
class MeshSceneTest {
    static final String TETRAHEDRON = """
            v 0 0 0
            v 10 0 0
            v 0 10 0
            v 0 0 10
            f 1 3 2
            f 1 2 4
            f 1 4 3
            f 2 3 4
            """;

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    @Test
    void objIsFittedAndRenderedAtTheCentre(@TempDir Path tmp) throws Exception {
        Path obj = tmp.resolve("tetra.obj");
        Files.writeString(obj, TETRAHEDRON);
        MeshBuilder mesh = MeshImporter.load(obj);
        float minY = Float.MAX_VALUE;
        float maxExtent = 0;
        float[] v = mesh.vertices();
        for (int i = 0; i < v.length; i += 8) {
            minY = Math.min(minY, v[i + 1]);
            maxExtent = Math.max(maxExtent, Math.max(Math.abs(v[i]), Math.max(v[i + 1], Math.abs(v[i + 2]))));
        }
        assertEquals(0f, minY, 1e-5f, "stands on the ground");
        assertEquals(2f, maxExtent, 1.01f, "fitted to a 2 m cube");

        Scene scene = MeshScene.load(obj);
        try (LiveFrameSource s = new LiveFrameSource(scene, 64, 64, 0, 16)) {
            FrameImages f = s.frame(0).download();
            // The camera orbits the model's centre: the middle pixel sees the model, a few metres away.
            float centreDepth = f.depth().get(32, 32, 0);
            assertTrue(centreDepth > 2 && centreDepth < 6, "centre depth " + centreDepth);
        }
    }

    @Test
    void unreadableMeshIsAOneLineError(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("broken.fbx");
        Files.writeString(bad, "this is not a mesh");
        UserException e = assertThrows(UserException.class, () -> MeshImporter.load(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertThrows(UserException.class, () -> MeshImporter.load(tmp.resolve("missing.obj")));
    }
}
