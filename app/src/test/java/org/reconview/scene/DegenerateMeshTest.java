package org.reconview.scene;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.cli.Main;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;

/**
 * Meshes that once rendered NaN pixels (degenerate triangles, zero and NaN normals, coordinates near the float limit)
 * render finite frames; a mesh of nothing but degenerate triangles is refused in one line.
 */
class DegenerateMeshTest {
    @TempDir
    Path tmp;

    static final String BAD_NORMALS = """
            v 0 0 0
            v 1 0 0
            v 0 1 0
            v 1 1 0
            v 0.5 0.5 0
            v 2 2 2
            vn 0 0 0
            vn 0 0 0
            vn 0 0 0
            vn 0 0 1
            vn 0 0 -1
            vn nan nan nan
            f 1//1 2//2 3//3
            f 2//2 4//4 3//5
            f 1//1 1//1 2//2
            f 1//1 5//5 4//4
            f 3//3 6//6 4//4
            """;
    static final String HUGE = """
            v -3e38 0 -3e38
            v 3e38 0 -3e38
            v 0 3e38 3e38
            v 3e38 3e38 3e38
            f 1 2 3
            f 2 4 3
            f 1 3 4
            """;

    int render(Path mesh, Path out, StringWriter err) {
        return Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "render", "--scene",
                mesh.toString(), "--size", "32x32", "--frames", "3", "--spp", "4", "--out", out.toString());
    }

    @Test
    void brokenNormalsAndHugeCoordinatesRenderFinitePixels() throws Exception {
        for (String[] m : new String[][] {{"bad-normals.obj", BAD_NORMALS}, {"huge.obj", HUGE}}) {
            Path mesh = tmp.resolve(m[0]);
            Files.writeString(mesh, m[1]);
            Path out = tmp.resolve(m[0] + ".seq");
            StringWriter err = new StringWriter();
            assertEquals(0, render(mesh, out, err), err.toString());
            for (int f = 0; f < 3; f++) {
                for (String kind : new String[] {"color", "reference"}) {
                    FloatImage img = ExrImages.read(out.resolve(String.format("%04d.%s.exr", f, kind)), "R", "G",
                            "B");
                    assertEquals(0, img.countNonFinite(), m[0] + " frame " + f + " " + kind);
                }
            }
        }
    }

    @Test
    void onlyDegenerateTrianglesAreRefused() throws Exception {
        Path mesh = tmp.resolve("flat.obj");
        Files.writeString(mesh, "v 0 0 0\nv 1 0 0\nv 2 0 0\nv 0 1 0\nf 1 2 3\nf 4 4 1\n");
        StringWriter err = new StringWriter();
        assertEquals(2, render(mesh, tmp.resolve("o"), err));
        assertTrue(err.toString().contains(mesh + ": every triangle is degenerate"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }

    @Test
    void repairedNormalsAreUnitAndDegenerateTrianglesGo() {
        float[] v = new float[4 * 8];
        float[][] p = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {5, 5, 5}};
        for (int i = 0; i < 4; i++) {
            System.arraycopy(p[i], 0, v, i * 8, 3);
        }
        v[3 * 8 + 3] = Float.NaN;
        int[] idx = MeshImporter.safeTriangles(v, new int[] {0, 1, 2, 0, 0, 3, 1, 1, 2});
        assertArrayEquals(new int[] {0, 1, 2}, idx);
        assertArrayEquals(new float[] {0, 0, 1}, new float[] {v[3], v[4], v[5]}, 0f, "face normal");
        assertArrayEquals(new float[] {0, 1, 0}, new float[] {v[3 * 8 + 3], v[3 * 8 + 4], v[3 * 8 + 5]}, 0f,
                "an orphan vertex points up");
    }
}
