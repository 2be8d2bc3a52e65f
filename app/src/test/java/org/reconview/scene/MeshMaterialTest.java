package org.reconview.scene;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.joml.Vector3f;
import org.joml.Vector4f;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.gl.GlObjectCensus;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.source.LiveFrameSource;

/**
 * Mesh files keep their materials: OBJ/MTL and glTF values as the files state them, base-colour textures (beside the
 * model or embedded) shown where their texels are mapped in both the 1-spp frame and the reference, glTF's MASK
 * alpha test, and a missing texture as one warning line and a render in the base colour.
 *
 * <p>The test model is one 1 m quad in the x = 0 plane facing +x, where MeshScene's orbit camera stands at t = 0,
 * with its texture upright on screen. The 64x64 texture has four flat-coloured quadrants.
 */
class MeshMaterialTest {
    static final int SIZE = 64;
    /** sRGB colours of the texture's quadrants: top-left, top-right, bottom-left, bottom-right (image rows down). */
    static final int[][] QUADRANTS = {{200, 40, 30}, {30, 180, 60}, {40, 60, 210}, {230, 210, 40}};
    /** Quadrant centres in image coordinates (s right, t down, 0..1), in the order of QUADRANTS. */
    static final float[][] CENTRES = {{0.25f, 0.25f}, {0.75f, 0.25f}, {0.25f, 0.75f}, {0.75f, 0.75f}};

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    // ---- writing test models -------------------------------------------------------------------------------------

    static int quadrant(int x, int y) {
        return (y < SIZE / 2 ? 0 : 2) + (x < SIZE / 2 ? 0 : 1);
    }

    /** The four-quadrant texture as PNG bytes; {@code alphaLeft}: alpha of the left half (right half opaque). */
    static byte[] png(int alphaLeft) throws Exception {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int[] c = QUADRANTS[quadrant(x, y)];
                int a = x < SIZE / 2 ? alphaLeft : 255;
                img.setRGB(x, y, a << 24 | c[0] << 16 | c[1] << 8 | c[2]);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }

    static float srgbToLinear(int v) {
        double c = v / 255.0;
        return (float) (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    }

    /** The quad as OBJ lines (vertices, uvs, normal), faces left to the caller. u = 1 - z and v = y: upright. */
    static final String OBJ_QUAD = """
            v 0 0 0
            v 0 0 1
            v 0 1 1
            v 0 1 0
            vt 1 0
            vt 0 0
            vt 0 1
            vt 1 1
            vn 1 0 0
            """;

    /** OBJ + MTL: material "tex" (Kd 1, map_Kd {@code map}) on the quad. */
    static Path texturedObj(Path dir, String map) throws Exception {
        Files.writeString(dir.resolve("quad.mtl"), """
                newmtl tex
                Kd 1 1 1
                map_Kd %s
                """.formatted(map));
        Path obj = dir.resolve("quad.obj");
        Files.writeString(obj, "mtllib quad.mtl\n" + OBJ_QUAD
                + "usemtl tex\nf 1/1/1 2/2/1 3/3/1\nf 1/1/1 3/3/1 4/4/1\n");
        return obj;
    }

    /**
     * The same quad cut into its four quadrants, each an untextured material whose Kd is its quadrant's linear
     * colour times {@code factor}: what the textured quad must look like under the same lights.
     */
    static Path quadrantsObj(Path dir, float[] factor) throws Exception {
        StringBuilder mtl = new StringBuilder();
        StringBuilder obj = new StringBuilder("mtllib quads.mtl\n");
        for (int q = 0; q < 4; q++) {
            int[] c = QUADRANTS[q];
            mtl.append("newmtl q").append(q).append('\n').append("Kd ").append(srgbToLinear(c[0]) * factor[0])
                    .append(' ').append(srgbToLinear(c[1]) * factor[1]).append(' ')
                    .append(srgbToLinear(c[2]) * factor[2]).append('\n');
        }
        obj.append("vn 1 0 0\n");
        // image (s, t) -> file (y, z): z = 1 - s, y = 1 - t
        for (int q = 0; q < 4; q++) {
            float s0 = (q % 2) * 0.5f;
            float t0 = (q / 2) * 0.5f;
            float[][] st = {{s0, t0 + 0.5f}, {s0 + 0.5f, t0 + 0.5f}, {s0 + 0.5f, t0}, {s0, t0}};
            for (float[] p : st) {
                obj.append("v 0 ").append(1 - p[1]).append(' ').append(1 - p[0]).append('\n');
            }
            obj.append("usemtl q").append(q).append('\n');
            int b = q * 4;
            obj.append("f ").append(b + 1).append("//1 ").append(b + 2).append("//1 ").append(b + 3).append("//1\n");
            obj.append("f ").append(b + 1).append("//1 ").append(b + 3).append("//1 ").append(b + 4).append("//1\n");
        }
        Files.writeString(dir.resolve("quads.mtl"), mtl);
        Path file = dir.resolve("quads.obj");
        Files.writeString(file, obj);
        return file;
    }

    /** The quad's buffer: positions, normals, glTF uvs (v down: image t), indices. */
    static byte[] gltfBuffer() {
        ByteBuffer b = ByteBuffer.allocate(4 * 12 + 4 * 12 + 4 * 8 + 6 * 2).order(ByteOrder.LITTLE_ENDIAN);
        float[][] pos = {{0, 0, 0}, {0, 0, 1}, {0, 1, 1}, {0, 1, 0}};
        for (float[] p : pos) {
            b.putFloat(p[0]).putFloat(p[1]).putFloat(p[2]);
        }
        for (int i = 0; i < 4; i++) {
            b.putFloat(1).putFloat(0).putFloat(0);
        }
        for (float[] p : pos) {
            b.putFloat(1 - p[2]).putFloat(1 - p[1]); // s = 1 - z, t = 1 - y
        }
        for (int i : new int[] {0, 1, 2, 0, 2, 3}) {
            b.putShort((short) i);
        }
        return b.array();
    }

    /** A glTF of the quad; {@code material}: the material's JSON or null; {@code image}: the image's uri or null. */
    static Path gltf(Path dir, String name, String material, String image, String bufferUri) throws Exception {
        int n = gltfBuffer().length;
        String json = """
                {"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
                 "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1, "TEXCOORD_0": 2},
                   "indices": 3 @MATREF@}]}],
                 @MATERIALS@
                 "buffers": [{"byteLength": @LEN@, "uri": "@BUF@"}],
                 "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 48},
                   {"buffer": 0, "byteOffset": 48, "byteLength": 48}, {"buffer": 0, "byteOffset": 96, "byteLength": 32},
                   {"buffer": 0, "byteOffset": 128, "byteLength": 12}],
                 "accessors": [
                   {"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3",
                    "min": [0, 0, 0], "max": [0, 1, 1]},
                   {"bufferView": 1, "componentType": 5126, "count": 4, "type": "VEC3"},
                   {"bufferView": 2, "componentType": 5126, "count": 4, "type": "VEC2"},
                   {"bufferView": 3, "componentType": 5123, "count": 6, "type": "SCALAR"}]}
                """
                .replace("@MATREF@", material == null ? "" : ", \"material\": 0")
                .replace("@MATERIALS@", (material == null ? "" : "\"materials\": [" + material + "],")
                        + (image == null ? "" : "\"textures\": [{\"source\": 0}], \"images\": [{\"uri\": \"" + image
                                + "\"}],"))
                .replace("@LEN@", Integer.toString(n)).replace("@BUF@", bufferUri);
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    static String dataUri(String mime, byte[] bytes) {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    static MeshImporter.Model importModel(Path file, List<String> warnings) {
        return MeshImporter.importModel(file, warnings::add);
    }

    // ---- imported values ---------------------------------------------------------------------------------------

    @Test
    void objMaterialsAndTheirMapKdAreImported(@TempDir Path tmp) throws Exception {
        Files.write(tmp.resolve("tex.png"), png(255));
        Files.writeString(tmp.resolve("two.mtl"), """
                newmtl red
                Kd 0.8 0.1 0.05
                Ks 0.5 0.5 0.5
                Ns 250
                Ke 0.1 0.2 0.3
                newmtl tex
                Kd 0.9 0.8 0.7
                map_Kd tex.png
                """);
        Path obj = tmp.resolve("two.obj");
        Files.writeString(obj, "mtllib two.mtl\n" + OBJ_QUAD
                + "usemtl red\nf 1/1/1 2/2/1 3/3/1\nusemtl tex\nf 1/1/1 3/3/1 4/4/1\n");
        List<String> warnings = new ArrayList<>();
        MeshImporter.Model model = importModel(obj, warnings);
        assertEquals(List.of(), warnings);
        assertEquals(2, model.parts().size(), "one part per material");
        Material red = model.parts().get(0).material();
        assertEquals("model:red", model.parts().get(0).name());
        assertVec(new Vector3f(0.8f, 0.1f, 0.05f), red.albedo());
        assertVec(new Vector3f(0.1f, 0.2f, 0.3f), red.emissive());
        assertEquals(Math.pow(2.0 / 252, 0.25), red.roughness(), 1e-6, "roughness from Ns 250");
        assertEquals(0f, red.metallic());
        assertNull(red.baseColorMap());
        assertEquals(0f, red.alphaCutoff(), "OBJ materials are opaque");

        Material tex = model.parts().get(1).material();
        assertVec(new Vector3f(0.9f, 0.8f, 0.7f), tex.albedo());
        assertEquals(1f, tex.roughness(), 1e-6, "no Ns: matte");
        assertTexture(tex.baseColorMap(), 255);
        assertTrue(tex.baseColorMap().source().endsWith("tex.png"), tex.baseColorMap().source());
        // each part keeps its triangle, fitted like the whole model
        assertEquals(3, model.parts().get(0).mesh().indices().length);
        assertEquals(3, model.parts().get(1).mesh().indices().length);
    }

    @Test
    void gltfFactorsTexturesAndAlphaModesAreImported(@TempDir Path tmp) throws Exception {
        byte[] png = png(128);
        String pbr = """
                {"name": "painted", "pbrMetallicRoughness": {"baseColorFactor": [0.9, 0.2, 0.1, 0.8],
                  "metallicFactor": 0.25, "roughnessFactor": 0.7, "baseColorTexture": {"index": 0}},
                 "emissiveFactor": [0.1, 0.2, 0.3], "alphaMode": "MASK", "alphaCutoff": 0.3}""";
        // everything embedded as data URIs (assimp gives the image as embedded texture *0, as in a glb)
        Path embedded = gltf(tmp, "embedded.gltf", pbr, dataUri("image/png", png),
                dataUri("application/octet-stream", gltfBuffer()));
        List<String> warnings = new ArrayList<>();
        Material m = single(importModel(embedded, warnings));
        assertEquals(List.of(), warnings);
        assertVec(new Vector3f(0.9f, 0.2f, 0.1f), m.albedo());
        assertEquals(0.8f, m.alpha(), 1e-6);
        assertEquals(0.25f, m.metallic(), 1e-6);
        assertEquals(0.7f, m.roughness(), 1e-6);
        assertVec(new Vector3f(0.1f, 0.2f, 0.3f), m.emissive());
        assertEquals(0.3f, m.alphaCutoff(), 1e-6, "MASK at alphaCutoff");
        assertTexture(m.baseColorMap(), 128);
        assertTrue(m.baseColorMap().source().contains("*0"), m.baseColorMap().source());

        // .bin + .png beside the model; BLEND is alpha-tested at 0.5
        Files.write(tmp.resolve("quad.bin"), gltfBuffer());
        Files.write(tmp.resolve("tex.png"), png(255));
        Path files = gltf(tmp, "files.gltf", pbr.replace("\"MASK\", \"alphaCutoff\": 0.3", "\"BLEND\""), "tex.png",
                "quad.bin");
        Material f = single(importModel(files, warnings));
        assertEquals(List.of(), warnings);
        assertEquals(0.5f, f.alphaCutoff(), 1e-6, "BLEND as MASK at 0.5");
        assertTexture(f.baseColorMap(), 255);
        assertEquals(tmp.resolve("tex.png").toAbsolutePath().toString(), f.baseColorMap().source());

        // OPAQUE (the default): no alpha test, whatever the alpha
        Path opaque = gltf(tmp, "opaque.gltf", pbr.replace(", \"alphaMode\": \"MASK\", \"alphaCutoff\": 0.3", ""),
                "tex.png", "quad.bin");
        assertEquals(0f, single(importModel(opaque, warnings)).alphaCutoff());
    }

    @Test
    void filesWithoutMaterialsStayGlossyGrey(@TempDir Path tmp) throws Exception {
        Files.write(tmp.resolve("quad.bin"), gltfBuffer());
        Path gltf = gltf(tmp, "plain.gltf", null, null, "quad.bin");
        Path obj = tmp.resolve("tetra.obj");
        Files.writeString(obj, MeshSceneTest.TETRAHEDRON);
        List<String> warnings = new ArrayList<>();
        for (Path f : List.of(gltf, obj)) {
            MeshImporter.Model model = importModel(f, warnings);
            assertEquals(1, model.parts().size(), f.toString());
            assertEquals("model", model.parts().get(0).name());
            assertEquals(MeshImporter.defaultMaterial(), model.parts().get(0).material(), f.toString());
        }
        assertEquals(List.of(), warnings);
        // a named material (even one with glTF's default values) is the file's, not the stand-in
        Path named = gltf(tmp, "named.gltf", "{\"name\": \"white\"}", null, "quad.bin");
        Material white = single(importModel(named, warnings));
        assertVec(new Vector3f(1, 1, 1), white.albedo());
        assertEquals(1f, white.metallic(), 1e-6, "glTF's default metallic factor");
    }

    @Test
    void aMaterialWhoseTrianglesAllVanishHasNoPart(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("m.mtl"), "newmtl gone\nKd 1 0 0\nnewmtl kept\nKd 0 1 0\n");
        Path obj = tmp.resolve("m.obj");
        Files.writeString(obj, "mtllib m.mtl\n" + OBJ_QUAD + "usemtl gone\nf 1 2 2\nf 3 3 3\n"
                + "usemtl kept\nf 1/1/1 2/2/1 3/3/1\nf 1/1/1 3/3/1 4/4/1\n");
        Scene scene = MeshScene.load(obj, w -> fail(w));
        assertEquals(2, scene.objects().size(), "ground and the one material with area");
        assertVec(new Vector3f(0, 1, 0), scene.objects().get(1).material().albedo());
        float[] c = rgb(render(scene).color(), pixel(scene, worldAt(scene, 0.5f, 0.5f)));
        assertTrue(c[1] > 2 * c[0], java.util.Arrays.toString(c));
    }

    // ---- rendering --------------------------------------------------------------------------------------------

    @Test
    void texturedQuadShowsItsTexelsInTheFrameAndTheReference(@TempDir Path tmp) throws Exception {
        Files.write(tmp.resolve("tex.png"), png(255));
        Path textured = texturedObj(tmp, "tex.png");
        Path flat = quadrantsObj(tmp, new float[] {1, 1, 1});
        Map<String, Integer> before = GlObjectCensus.count();
        List<String> warnings = new ArrayList<>();
        Scene scene = MeshScene.load(textured, warnings::add);
        assertEquals(List.of(), warnings);
        FrameImages tex = render(scene);
        FrameImages ref = render(MeshScene.load(flat, warnings::add));
        assertEquals(before, GlObjectCensus.count(), "the texture is freed with its renderer");
        comparesQuadrants(scene, tex, ref, "OBJ map_Kd");
    }

    @Test
    void gltfTextureTimesFactorRendersAsTheProductUnderTheSameLights(@TempDir Path tmp) throws Exception {
        float[] factor = {0.9f, 0.6f, 0.8f};
        String pbr = """
                {"name": "tinted", "pbrMetallicRoughness": {"baseColorFactor": [0.9, 0.6, 0.8, 1.0],
                  "metallicFactor": 0.0, "roughnessFactor": 1.0, "baseColorTexture": {"index": 0}}}""";
        Path gltf = gltf(tmp, "tinted.gltf", pbr, dataUri("image/png", png(255)),
                dataUri("application/octet-stream", gltfBuffer()));
        Scene scene = MeshScene.load(gltf, w -> fail(w));
        FrameImages tex = render(scene);
        // OBJ without Ns: roughness 1, metallic 0, as this glTF material
        FrameImages ref = render(MeshScene.load(quadrantsObj(tmp, factor), w -> fail(w)));
        comparesQuadrants(scene, tex, ref, "glTF texture x factor");
    }

    @Test
    void redFactorRendersRed(@TempDir Path tmp) throws Exception {
        Files.write(tmp.resolve("quad.bin"), gltfBuffer());
        Path red = gltf(tmp, "red.gltf", """
                {"name": "red", "pbrMetallicRoughness": {"baseColorFactor": [0.9, 0.05, 0.05, 1.0],
                  "metallicFactor": 0.0, "roughnessFactor": 0.8}}""", null, "quad.bin");
        Path grey = gltf(tmp, "grey.gltf", null, null, "quad.bin");
        Scene scene = MeshScene.load(red, w -> fail(w));
        int[] px = pixel(scene, worldAt(scene, 0.5f, 0.5f));
        FrameImages r = render(scene);
        FrameImages g = render(MeshScene.load(grey, w -> fail(w)));
        for (FloatImage im : new FloatImage[] {r.color(), r.reference()}) {
            float[] c = rgb(im, px);
            assertTrue(c[0] > 4 * c[1] && c[0] > 4 * c[2], "red-dominant: " + java.util.Arrays.toString(c));
        }
        float[] c = rgb(g.color(), px);
        assertTrue(c[0] < 1.5 * c[1], "the default grey is not: " + java.util.Arrays.toString(c));
    }

    @Test
    void maskCutsOutWhereTheTextureAlphaIsBelowTheCutoff(@TempDir Path tmp) throws Exception {
        String pbr = """
                {"name": "cutout", "pbrMetallicRoughness": {"baseColorTexture": {"index": 0}, "metallicFactor": 0},
                 "alphaMode": "MASK", "alphaCutoff": 0.5}""";
        Path gltf = gltf(tmp, "cutout.gltf", pbr, dataUri("image/png", png(0)),
                dataUri("application/octet-stream", gltfBuffer()));
        Scene scene = MeshScene.load(gltf, w -> fail(w));
        FrameImages f = render(scene);
        Vector3f eye = scene.camera().at(0).position();
        for (int q = 0; q < 4; q++) {
            Vector3f p = worldAt(scene, CENTRES[q][0], CENTRES[q][1]);
            int[] px = pixel(scene, p);
            float depth = f.depth().get(px[0], px[1], 0);
            float quadDepth = -scene.camera().at(0).view().transformPosition(new Vector3f(p)).z;
            if (q % 2 == 0) { // left half: alpha 0, cut out: the ground or the sky behind shows
                assertTrue(depth > quadDepth * 1.1f, "quadrant " + q + " cut out: depth " + depth + " vs quad "
                        + quadDepth + " (eye " + eye + ")");
            } else {
                assertEquals(quadDepth, depth, quadDepth * 0.02f, "quadrant " + q + " opaque");
            }
        }
    }

    @Test
    void aMissingOrBrokenTextureIsOneWarningAndTheBaseColour(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("broken.png"), "not a png");
        for (String map : List.of("missing.png", "broken.png")) {
            Path obj = tmp.resolve(map + ".obj");
            Files.writeString(tmp.resolve(map + ".mtl"), "newmtl m\nKd 0.1 0.7 0.2\nmap_Kd " + map + "\n");
            Files.writeString(obj, "mtllib " + map + ".mtl\n" + OBJ_QUAD
                    + "usemtl m\nf 1/1/1 2/2/1 3/3/1\nf 1/1/1 3/3/1 4/4/1\n");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            Scene scene;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                scene = MeshScene.load(obj);
            } finally {
                System.setErr(old);
            }
            String printed = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, printed.lines().count(), printed);
            assertTrue(printed.startsWith("reconview: warning: " + tmp.resolve(map).toAbsolutePath()), printed);
            Material m = scene.objects().get(1).material();
            assertNull(m.baseColorMap());
            assertVec(new Vector3f(0.1f, 0.7f, 0.2f), m.albedo());
            FrameImages f = render(scene);
            float[] c = rgb(f.color(), pixel(scene, worldAt(scene, 0.5f, 0.5f)));
            assertTrue(c[1] > 2 * c[0] && c[1] > 2 * c[2], map + ": renders in the base colour (green): "
                    + java.util.Arrays.toString(c));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static Material single(MeshImporter.Model model) {
        assertEquals(1, model.parts().size());
        return model.parts().get(0).material();
    }

    static void assertVec(Vector3f expected, Vector3f actual) {
        assertEquals(expected.x, actual.x, 1e-6, "x of " + actual);
        assertEquals(expected.y, actual.y, 1e-6, "y of " + actual);
        assertEquals(expected.z, actual.z, 1e-6, "z of " + actual);
    }

    /** The decoded map holds the PNG's texels (sampled in every quadrant, with the left half's alpha). */
    static void assertTexture(ImageTexture map, int alphaLeft) {
        assertNotNull(map);
        assertEquals(SIZE, map.width());
        assertEquals(SIZE, map.height());
        for (int[] xy : new int[][] {{0, 0}, {40, 3}, {5, 63}, {63, 63}, {31, 32}}) {
            int[] c = QUADRANTS[quadrant(xy[0], xy[1])];
            int a = xy[0] < SIZE / 2 ? alphaLeft : 255;
            assertArrayEquals(new int[] {c[0], c[1], c[2], a}, map.texel(xy[0], xy[1]), "texel " + xy[0] + "," + xy[1]);
        }
    }

    static FrameImages render(Scene scene) {
        try (LiveFrameSource s = new LiveFrameSource(scene, 64, 64, 8, 16)) {
            return s.frame(0).download();
        }
    }

    /** The world point of the model where image coordinates (s, t) are mapped (interpolated in its triangles). */
    static Vector3f worldAt(Scene scene, float s, float t) {
        for (SceneObject o : scene.objects().subList(1, scene.objects().size())) {
            float[] v = o.mesh().vertices();
            int[] idx = o.mesh().indices();
            for (int i = 0; i < idx.length; i += 3) {
                int a = idx[i] * 8;
                int b = idx[i + 1] * 8;
                int c = idx[i + 2] * 8;
                double det = (v[b + 6] - v[a + 6]) * (v[c + 7] - v[a + 7])
                        - (v[c + 6] - v[a + 6]) * (v[b + 7] - v[a + 7]);
                double l1 = ((s - v[a + 6]) * (v[c + 7] - v[a + 7]) - (v[c + 6] - v[a + 6]) * (t - v[a + 7])) / det;
                double l2 = ((v[b + 6] - v[a + 6]) * (t - v[a + 7]) - (s - v[a + 6]) * (v[b + 7] - v[a + 7])) / det;
                if (l1 >= -1e-6 && l2 >= -1e-6 && l1 + l2 <= 1 + 1e-6) {
                    Vector3f p = new Vector3f();
                    for (int k = 0; k < 3; k++) {
                        p.setComponent(k, (float) (v[a + k] + l1 * (v[b + k] - v[a + k]) + l2 * (v[c + k] - v[a + k])));
                    }
                    return p;
                }
            }
        }
        throw new AssertionError("no triangle maps (" + s + ", " + t + ")");
    }

    /** The pixel (x, y; row 0 = top) that the camera at t = 0 sees the world point in. */
    static int[] pixel(Scene scene, Vector3f p) {
        Vector4f c = scene.camera().at(0).viewProjection(1f).transform(new Vector4f(p, 1));
        int x = (int) Math.floor((c.x / c.w * 0.5 + 0.5) * 64);
        int y = (int) Math.floor((c.y / c.w * 0.5 + 0.5) * 64);
        assertTrue(x >= 0 && x < 64 && y >= 0 && y < 64, "on screen: " + x + "," + y);
        return new int[] {x, y};
    }

    static float[] rgb(FloatImage im, int[] px) {
        return new float[] {im.get(px[0], px[1], 0), im.get(px[0], px[1], 1), im.get(px[0], px[1], 2)};
    }

    /**
     * At each quadrant's centre, in the 1-spp frame and in the reference, the textured model shows what the flat
     * model with the quadrant's colour as its material shows under the same lights, to 1% + 1e-4 per channel. Both
     * sides start from the same 8-bit sRGB values: the flat side decodes them in Java (exact curve), the textured side
     * in the sampler, whose decode on llvmpipe differs by up to 0.4% here (measured; GPUs use exact tables); shading is
     * linear in the albedo; a quadrant centre lies 8 or more pixels inside its quadrant, beyond the reference filter's
     * reach and the texels trilinear filtering mixes at this footprint. A texture left unsampled (grey), sampled
     * upside down or mirrored (another quadrant's colour), or read as linear instead of sRGB (+33% in red here, the
     * failure this test gave when the map was uploaded as RGBA8) is off by far more.
     */
    static void comparesQuadrants(Scene scene, FrameImages tex, FrameImages ref, String what) {
        for (int q = 0; q < 4; q++) {
            int[] px = pixel(scene, worldAt(scene, CENTRES[q][0], CENTRES[q][1]));
            for (boolean reference : new boolean[] {false, true}) {
                float[] a = rgb(reference ? tex.reference() : tex.color(), px);
                float[] b = rgb(reference ? ref.reference() : ref.color(), px);
                for (int c = 0; c < 3; c++) {
                    assertEquals(b[c], a[c], 0.01 * b[c] + 1e-4, what + ": quadrant " + q + " at " + px[0] + ","
                            + px[1] + (reference ? " (reference)" : " (1 spp)") + " channel " + c + ": "
                            + java.util.Arrays.toString(a) + " vs " + java.util.Arrays.toString(b));
                }
            }
        }
    }
}
