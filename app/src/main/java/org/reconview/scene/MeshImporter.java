package org.reconview.scene;

import static org.lwjgl.assimp.Assimp.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.lwjgl.assimp.AIMesh;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.AIVector3D;
import org.reconview.UserException;

/**
 * Loads a mesh file (OBJ, glTF, FBX and whatever else Assimp reads) into one triangle mesh, with node transforms
 * applied, smooth normals where the file has none, and the whole model scaled to fit a 2 m cube standing on y = 0
 * (in double precision). Triangles without area are dropped and broken normals repaired ({@link #safeTriangles}),
 * so that no pixel shades to NaN; non-finite coordinates are refused.
 */
public final class MeshImporter {
    private MeshImporter() {
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

    public static MeshBuilder load(Path file) {
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
            List<float[]> vertexBlocks = new ArrayList<>();
            List<int[]> indexBlocks = new ArrayList<>();
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
                vertexBlocks.add(verts);
                indexBlocks.add(java.util.Arrays.copyOf(idx, k));
            }
            double extent = Math.max(max[0] - min[0], Math.max(max[1] - min[1], max[2] - min[2]));
            if (vertexBlocks.isEmpty() || !(extent > 0) || Double.isInfinite(extent)) {
                throw new UserException(file + ": no triangles in the file" + (vertexBlocks.isEmpty() ? ""
                        : " that span any space (extent " + extent + ")"));
            }
            // Fit to 2 m in double precision (coordinates near 1e38 overflow in float), then make every triangle
            // safe to shade: drop the ones without area and give every vertex a unit normal.
            double scale = 2.0 / extent;
            double[] shift = {-(min[0] + max[0]) / 2, -min[1], -(min[2] + max[2]) / 2};
            MeshBuilder out = new MeshBuilder();
            int kept = 0;
            for (int b = 0; b < vertexBlocks.size(); b++) {
                float[] v = vertexBlocks.get(b);
                for (int i = 0; i < v.length / 8; i++) {
                    for (int c = 0; c < 3; c++) {
                        v[i * 8 + c] = (float) ((v[i * 8 + c] + shift[c]) * scale);
                    }
                }
                int[] idx = safeTriangles(v, indexBlocks.get(b));
                kept += idx.length / 3;
                out.append(v, idx, new Matrix4f());
            }
            if (kept == 0) {
                throw new UserException(file + ": every triangle is degenerate (no area)");
            }
            return out;
        } finally {
            aiReleaseImport(scene);
        }
    }
}
