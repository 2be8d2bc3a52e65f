package org.reconview.scene;

import static org.lwjgl.assimp.Assimp.*;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.lwjgl.assimp.AIColor4D;
import org.lwjgl.assimp.AIMaterial;
import org.lwjgl.assimp.AIMesh;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.AIString;
import org.lwjgl.assimp.AITexture;
import org.lwjgl.assimp.AIVector3D;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.reconview.UserException;

/**
 * Loads a mesh file (OBJ, glTF, FBX and whatever else Assimp reads) into triangle meshes, one per material, with node
 * transforms applied, smooth normals where the file has none, and the whole model scaled to fit a 2 m cube standing
 * on y = 0 (in double precision). Triangles without area are dropped and broken normals repaired
 * ({@link #safeTriangles}), so that no pixel shades to NaN; non-finite coordinates are refused.
 *
 * <p>Each mesh keeps its file's material ({@link #material}): base colour (glTF's baseColorFactor, else the diffuse
 * colour), metallic and roughness (glTF's factors, else 0 and a roughness from the Phong shininess), emission, and
 * the base-colour (else diffuse) texture, a file beside the model or one embedded in it (glb, data URIs: assimp's
 * {@code *N}), read with stb_image and sampled through the first UV channel. glTF's alphaMode MASK alpha-tests at its
 * alphaCutoff; BLEND is treated as MASK at 0.5 (there is no sorted transparency). A texture that cannot be read is
 * one warning line naming the file, and its meshes keep their base colour. A model whose file has no materials gets
 * {@link #defaultMaterial()}.
 */
public final class MeshImporter {
    /** One material's triangles of an imported model (already fitted, like the whole model). */
    public record Part(String name, MeshBuilder mesh, Material material) {
    }

    /** An imported model: one part per material, in the order the file first uses them. */
    public record Model(List<Part> parts) {
        /** All parts in one mesh (materials dropped). */
        public MeshBuilder merged() {
            MeshBuilder out = new MeshBuilder();
            for (Part p : parts) {
                out.append(p.mesh().vertices(), p.mesh().indices(), new Matrix4f());
            }
            return out;
        }
    }

    private MeshImporter() {
    }

    /** The glossy grey of a model without materials (and of meshes that use assimp's stand-in default material). */
    public static Material defaultMaterial() {
        return Material.glossy(0.6f, 0.6f, 0.62f, 0.3f, 0f);
    }

    /**
     * The triangles with area (others removed) of interleaved vertices {@code v}, whose normals it repairs in place:
     * a missing, zero-length or non-finite normal becomes the area-weighted mean of its faces' normals (or +y).
     */
    static int[] safeTriangles(float[] v, int[] idx) {
        int n = v.length / 8;
        double[] acc = new double[n * 3];
        int[] out = new int[idx.length];
        int k = 0;
        for (int t = 0; t + 2 < idx.length; t += 3) {
            int a = idx[t];
            int b = idx[t + 1];
            int c = idx[t + 2];
            double ux = v[b * 8] - v[a * 8];
            double uy = v[b * 8 + 1] - v[a * 8 + 1];
            double uz = v[b * 8 + 2] - v[a * 8 + 2];
            double wx = v[c * 8] - v[a * 8];
            double wy = v[c * 8 + 1] - v[a * 8 + 1];
            double wz = v[c * 8 + 2] - v[a * 8 + 2];
            double nx = uy * wz - uz * wy;
            double ny = uz * wx - ux * wz;
            double nz = ux * wy - uy * wx;
            double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
            if (!(len > 1e-14) || a == b || b == c || a == c) {
                continue;
            }
            for (int i : new int[] {a, b, c}) {
                acc[i * 3] += nx;
                acc[i * 3 + 1] += ny;
                acc[i * 3 + 2] += nz;
            }
            out[k++] = a;
            out[k++] = b;
            out[k++] = c;
        }
        for (int i = 0; i < n; i++) {
            double x = v[i * 8 + 3];
            double y = v[i * 8 + 4];
            double z = v[i * 8 + 5];
            double len = Math.sqrt(x * x + y * y + z * z);
            if (!(len > 1e-12) || !Double.isFinite(len)) {
                x = acc[i * 3];
                y = acc[i * 3 + 1];
                z = acc[i * 3 + 2];
                len = Math.sqrt(x * x + y * y + z * z);
                if (!(len > 0) || !Double.isFinite(len)) {
                    x = 0;
                    y = 1;
                    z = 0;
                    len = 1;
                }
            }
            v[i * 8 + 3] = (float) (x / len);
            v[i * 8 + 4] = (float) (y / len);
            v[i * 8 + 5] = (float) (z / len);
        }
        return java.util.Arrays.copyOf(out, k);
    }

    /** The model's triangles in one mesh, fitted (materials and their textures are not read). */
    public static MeshBuilder load(Path file) {
        return importModel(file, false, w -> { }).merged();
    }

    /** The model with its materials and textures; {@code warnings} gets one line per texture it cannot use. */
    public static Model importModel(Path file, Consumer<String> warnings) {
        return importModel(file, true, warnings);
    }

    private record Block(float[] vertices, int[] indices, int material, boolean hasUv, int mesh) {
    }

    private static Model importModel(Path file, boolean materials, Consumer<String> warnings) {
        if (!Files.isRegularFile(file)) {
            throw new UserException(file + ": not found");
        }
        int flags = aiProcess_Triangulate | aiProcess_GenSmoothNormals | aiProcess_PreTransformVertices
                | aiProcess_JoinIdenticalVertices | aiProcess_SortByPType;
        AIScene scene = aiImportFile(file.toAbsolutePath().toString(), flags);
        if (scene == null) {
            throw new UserException(file + ": cannot read mesh (" + aiGetErrorString().trim() + ")");
        }
        try {
            List<Block> blocks = new ArrayList<>();
            double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
            double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            int meshes = scene.mNumMeshes();
            for (int m = 0; m < meshes; m++) {
                AIMesh mesh = AIMesh.create(scene.mMeshes().get(m));
                if ((mesh.mPrimitiveTypes() & aiPrimitiveType_TRIANGLE) == 0) {
                    continue; // points and lines have no surface to shade
                }
                int n = mesh.mNumVertices();
                float[] verts = new float[n * 8];
                AIVector3D.Buffer pos = mesh.mVertices();
                AIVector3D.Buffer nor = mesh.mNormals();
                AIVector3D.Buffer uv = mesh.mTextureCoords(0);
                for (int i = 0; i < n; i++) {
                    AIVector3D p = pos.get(i);
                    float[] xyz = {p.x(), p.y(), p.z()};
                    for (int c = 0; c < 3; c++) {
                        if (!Float.isFinite(xyz[c])) {
                            throw new UserException(file + ": vertex " + i + " of mesh " + m + " has a non-finite"
                                    + " coordinate (" + xyz[c] + ")");
                        }
                        verts[i * 8 + c] = xyz[c];
                        min[c] = Math.min(min[c], xyz[c]);
                        max[c] = Math.max(max[c], xyz[c]);
                    }
                    if (nor != null) {
                        verts[i * 8 + 3] = nor.get(i).x();
                        verts[i * 8 + 4] = nor.get(i).y();
                        verts[i * 8 + 5] = nor.get(i).z();
                    }
                    if (uv != null) {
                        // assimp gives v up from the image's bottom (it flips glTF's); textures here have row 0 on top
                        float u = uv.get(i).x();
                        float v = uv.get(i).y();
                        verts[i * 8 + 6] = Float.isFinite(u) ? u : 0;
                        verts[i * 8 + 7] = Float.isFinite(v) ? 1 - v : 0;
                    }
                }
                int faces = mesh.mNumFaces();
                int[] idx = new int[faces * 3];
                int k = 0;
                for (int f = 0; f < faces; f++) {
                    var face = mesh.mFaces().get(f);
                    if (face.mNumIndices() == 3) {
                        int i0 = face.mIndices().get(0);
                        int i1 = face.mIndices().get(1);
                        int i2 = face.mIndices().get(2);
                        if (i0 >= 0 && i1 >= 0 && i2 >= 0 && i0 < n && i1 < n && i2 < n) {
                            idx[k++] = i0;
                            idx[k++] = i1;
                            idx[k++] = i2;
                        }
                    }
                }
                blocks.add(new Block(verts, java.util.Arrays.copyOf(idx, k), mesh.mMaterialIndex(), uv != null, m));
            }
            double extent = Math.max(max[0] - min[0], Math.max(max[1] - min[1], max[2] - min[2]));
            if (blocks.isEmpty() || !(extent > 0) || Double.isInfinite(extent)) {
                throw new UserException(file + ": no triangles in the file" + (blocks.isEmpty() ? ""
                        : " that span any space (extent " + extent + ")"));
            }
            // Fit to 2 m in double precision (coordinates near 1e38 overflow in float), then make every triangle
            // safe to shade: drop the ones without area and give every vertex a unit normal.
            double scale = 2.0 / extent;
            double[] shift = {-(min[0] + max[0]) / 2, -min[1], -(min[2] + max[2]) / 2};
            Map<Integer, Material> byIndex = new HashMap<>();
            Map<String, Optional<ImageTexture>> textures = new HashMap<>();
            Set<Integer> warnedNoUv = new HashSet<>();
            Map<Material, MeshBuilder> groups = new LinkedHashMap<>();
            Map<Material, String> names = new HashMap<>();
            int kept = 0;
            for (Block b : blocks) {
                float[] v = b.vertices();
                for (int i = 0; i < v.length / 8; i++) {
                    for (int c = 0; c < 3; c++) {
                        v[i * 8 + c] = (float) ((v[i * 8 + c] + shift[c]) * scale);
                    }
                }
                int[] idx = safeTriangles(v, b.indices());
                kept += idx.length / 3;
                if (idx.length == 0) {
                    continue; // nothing left to draw (and GL refuses empty buffers)
                }
                Material mat = !materials ? defaultMaterial()
                        : byIndex.computeIfAbsent(b.material(), i -> material(scene, i, file, textures, warnings));
                if (mat.baseColorMap() != null && !b.hasUv()) {
                    if (warnedNoUv.add(b.material())) {
                        warnings.accept(file + ": mesh " + b.mesh() + " has no texture coordinates; it shows its"
                                + " material's base colour without the texture " + mat.baseColorMap().source());
                    }
                    mat = mat.withBaseColorMap(null, mat.alpha(), mat.alphaCutoff());
                }
                groups.computeIfAbsent(mat, x -> new MeshBuilder()).append(v, idx, new Matrix4f());
                names.putIfAbsent(mat, materials ? materialName(scene, b.material()) : "");
            }
            if (kept == 0) {
                throw new UserException(file + ": every triangle is degenerate (no area)");
            }
            List<Part> parts = new ArrayList<>();
            for (var e : groups.entrySet()) {
                String name = groups.size() == 1 ? "model" : "model:" + names.get(e.getKey());
                parts.add(new Part(name, e.getValue(), e.getKey()));
            }
            return new Model(List.copyOf(parts));
        } finally {
            aiReleaseImport(scene);
        }
    }

    private static String materialName(AIScene scene, int index) {
        AIMaterial m = index >= 0 && index < scene.mNumMaterials()
                ? AIMaterial.create(scene.mMaterials().get(index)) : null;
        String name = m == null ? null : string(m, AI_MATKEY_NAME, aiTextureType_NONE);
        return name == null || name.isEmpty() ? "material " + index : name;
    }

    /**
     * The reconview material of the file's material {@code index}. Base colour: {@code $clr.base} (glTF's
     * baseColorFactor), else {@code $clr.diffuse} (OBJ's Kd), clamped to [0, 1]; its alpha is the alpha-test's base.
     * Metallic and roughness: glTF's factors; without them metallic 0 and roughness (2 / (n + 2))^(1/4) from the
     * Phong/Blinn-Phong exponent n (OBJ's Ns), the usual exponent-to-GGX mapping (alpha = sqrt(2 / (n + 2)), and the
     * shader's alpha is roughness squared). Emission: {@code $clr.emissive} times glTF's emissive strength. assimp's
     * stand-in for "no material" ({@code DefaultMaterial}, or glTF's unnamed all-defaults material) gives
     * {@link #defaultMaterial()}.
     */
    static Material material(AIScene scene, int index, Path file, Map<String, Optional<ImageTexture>> textures,
            Consumer<String> warnings) {
        if (index < 0 || index >= scene.mNumMaterials()) {
            return defaultMaterial();
        }
        AIMaterial m = AIMaterial.create(scene.mMaterials().get(index));
        String name = string(m, AI_MATKEY_NAME, aiTextureType_NONE);
        float[] base = color(m, AI_MATKEY_BASE_COLOR);
        if (base == null) {
            base = color(m, AI_MATKEY_COLOR_DIFFUSE);
        }
        Float metallic = scalar(m, AI_MATKEY_METALLIC_FACTOR);
        Float roughness = scalar(m, AI_MATKEY_ROUGHNESS_FACTOR);
        Float shininess = scalar(m, AI_MATKEY_SHININESS);
        float[] emissive = color(m, AI_MATKEY_COLOR_EMISSIVE);
        Float emissiveStrength = scalar(m, AI_MATKEY_EMISSIVE_INTENSITY);
        String texture = texturePath(m, aiTextureType_BASE_COLOR);
        if (texture == null) {
            texture = texturePath(m, aiTextureType_DIFFUSE);
        }
        String alphaMode = string(m, AI_MATKEY_GLTF_ALPHAMODE, aiTextureType_NONE);
        Float cutoff = scalar(m, AI_MATKEY_GLTF_ALPHACUTOFF);

        boolean unnamed = name == null || name.isEmpty();
        boolean gltfDefaults = unnamed && texture == null && base != null && base[0] == 1 && base[1] == 1
                && base[2] == 1 && metallic != null && metallic == 1 && roughness != null && roughness == 1
                && (emissive == null || emissive[0] == 0 && emissive[1] == 0 && emissive[2] == 0);
        if (AI_DEFAULT_MATERIAL_NAME.equals(name) || gltfDefaults) {
            return defaultMaterial();
        }
        Vector3f albedo = base == null ? new Vector3f(0.6f)
                : new Vector3f(unit(base[0], 0.6f), unit(base[1], 0.6f), unit(base[2], 0.6f));
        float alpha = base == null ? 1f : unit(base[3], 1f);
        float rough = roughness != null ? unit(roughness, 1f)
                : shininess != null && shininess > 0 && Float.isFinite(shininess)
                        ? (float) Math.pow(2.0 / (shininess + 2.0), 0.25) : 1f;
        float metal = metallic != null ? unit(metallic, 0f) : 0f;
        float gain = emissiveStrength != null && Float.isFinite(emissiveStrength) && emissiveStrength > 0
                ? emissiveStrength : 1f;
        Vector3f emission = emissive == null ? new Vector3f()
                : new Vector3f(light(emissive[0] * gain), light(emissive[1] * gain), light(emissive[2] * gain));
        float alphaCutoff = "MASK".equals(alphaMode) ? (cutoff != null ? unit(cutoff, 0.5f) : 0.5f)
                : "BLEND".equals(alphaMode) ? 0.5f : 0f;
        ImageTexture map = null;
        if (texture != null) {
            String label = unnamed ? "material " + index : "'" + name + "'";
            map = textures.computeIfAbsent(texture, t -> loadTexture(scene, t, file, label, warnings)).orElse(null);
        }
        return new Material(albedo, rough, metal, emission, Pattern.PLAIN, 1f, null, map, alpha, alphaCutoff);
    }

    private static float unit(float v, float fallback) {
        return Float.isFinite(v) ? Math.min(1f, Math.max(0f, v)) : fallback;
    }

    private static float light(float v) {
        return Float.isFinite(v) ? Math.min(1e4f, Math.max(0f, v)) : 0f;
    }

    /** A texture the file names: embedded ({@code *N}, or an embedded file's name) or a file beside the model. */
    private static Optional<ImageTexture> loadTexture(AIScene scene, String ref, Path file, String material,
            Consumer<String> warnings) {
        AITexture embedded = aiGetEmbeddedTexture(scene, ref);
        String source = embedded != null ? file + " (embedded texture " + ref + ")" : resolveTexture(file, ref);
        try {
            return Optional.of(embedded != null ? embedded(embedded, source) : ImageTexture.read(Path.of(source)));
        } catch (IOException | InvalidPathException e) {
            String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
            warnings.accept(source + ": cannot use this texture (" + reason + "); material " + material + " of "
                    + file.getFileName() + " shows its base colour");
            return Optional.empty();
        }
    }

    private static ImageTexture embedded(AITexture t, String source) throws IOException {
        long data = MemoryUtil.memGetAddress(t.address() + AITexture.PCDATA);
        int w = t.mWidth();
        int h = t.mHeight();
        if (data == 0 || w <= 0 || h < 0) {
            throw new IOException("no image data");
        }
        if (h == 0) { // compressed: mWidth bytes of a PNG, JPEG, ... file
            ByteBuffer bytes = MemoryUtil.memByteBuffer(data, w);
            return ImageTexture.decode(source, bytes);
        }
        if (w > ImageTexture.MAX_SIZE || h > ImageTexture.MAX_SIZE) {
            throw new IOException(w + "x" + h + " is larger than " + ImageTexture.MAX_SIZE + " on a side");
        }
        ByteBuffer texels = MemoryUtil.memByteBuffer(data, w * h * 4); // aiTexel: b, g, r, a
        byte[] rgba = new byte[w * h * 4];
        for (int i = 0; i < w * h; i++) {
            rgba[i * 4] = texels.get(i * 4 + 2);
            rgba[i * 4 + 1] = texels.get(i * 4 + 1);
            rgba[i * 4 + 2] = texels.get(i * 4);
            rgba[i * 4 + 3] = texels.get(i * 4 + 3);
        }
        return new ImageTexture(source, w, h, rgba);
    }

    /**
     * The path of a texture file the model names: relative to the model's folder (Windows separators allowed); if
     * that is no file, a URL-decoded name (glTF URIs), then the bare file name in the model's folder (files moved
     * from another machine with absolute paths). Returns the first candidate when none exists, for the warning.
     */
    static String resolveTexture(Path model, String ref) {
        Path dir = model.toAbsolutePath().getParent();
        String r = ref.replace('\\', '/');
        List<String> candidates = new ArrayList<>(List.of(r));
        if (r.contains("%")) {
            candidates.add(URLDecoder.decode(r.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        candidates.add(r.substring(r.lastIndexOf('/') + 1));
        String first = null;
        for (String c : candidates) {
            try {
                Path p = dir.resolve(c);
                if (first == null) {
                    first = p.toString();
                }
                if (Files.isRegularFile(p)) {
                    return p.toString();
                }
            } catch (IllegalArgumentException e) {
                // not a path here (InvalidPathException) or a bad %-escape: try the next candidate
            }
        }
        return first != null ? first : ref;
    }

    private static String string(AIMaterial m, String key, int type) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            AIString s = AIString.calloc(stack);
            return aiGetMaterialString(m, key, type, 0, s) == aiReturn_SUCCESS ? s.dataString() : null;
        }
    }

    private static Float scalar(AIMaterial m, String key) {
        float[] v = new float[1];
        int[] n = {1};
        return aiGetMaterialFloatArray(m, key, aiTextureType_NONE, 0, v, n) == aiReturn_SUCCESS && n[0] >= 1
                ? v[0] : null;
    }

    /** r, g, b, a (a = 1 where the file gives three components), or null if the material has no such colour. */
    private static float[] color(AIMaterial m, String key) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            AIColor4D c = AIColor4D.calloc(stack);
            return aiGetMaterialColor(m, key, aiTextureType_NONE, 0, c) == aiReturn_SUCCESS
                    ? new float[] {c.r(), c.g(), c.b(), c.a()} : null;
        }
    }

    private static String texturePath(AIMaterial m, int type) {
        if (aiGetMaterialTextureCount(m, type) <= 0) {
            return null;
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            AIString path = AIString.calloc(stack);
            int r = aiGetMaterialTexture(m, type, 0, path, (IntBuffer) null, (IntBuffer) null, (FloatBuffer) null,
                    (IntBuffer) null, (IntBuffer) null, (IntBuffer) null);
            String s = r == aiReturn_SUCCESS ? path.dataString() : null;
            return s == null || s.isBlank() ? null : s;
        }
    }
}
