package org.reconview.scene;

import static org.lwjgl.assimp.Assimp.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.lwjgl.assimp.AIMesh;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.AIVector3D;
import org.reconview.UserException;

/**
 * Loads a mesh file (OBJ, glTF, FBX and whatever else Assimp reads) into one triangle mesh, with node transforms
 * applied, smooth normals where the file has none, and the whole model scaled to fit a 2 m cube standing on y = 0.
 */
public final class MeshImporter {
    private MeshImporter() {
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
            MeshBuilder raw = new MeshBuilder();
            Vector3f min = new Vector3f(Float.POSITIVE_INFINITY);
            Vector3f max = new Vector3f(Float.NEGATIVE_INFINITY);
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
                    verts[i * 8] = p.x();
                    verts[i * 8 + 1] = p.y();
                    verts[i * 8 + 2] = p.z();
                    min.min(new Vector3f(p.x(), p.y(), p.z()));
                    max.max(new Vector3f(p.x(), p.y(), p.z()));
                    if (nor != null) {
                        verts[i * 8 + 3] = nor.get(i).x();
                        verts[i * 8 + 4] = nor.get(i).y();
                        verts[i * 8 + 5] = nor.get(i).z();
                    } else {
                        verts[i * 8 + 4] = 1;
                    }
                    if (uv != null) {
                        verts[i * 8 + 6] = uv.get(i).x();
                        verts[i * 8 + 7] = 1 - uv.get(i).y();
                    }
                }
                int faces = mesh.mNumFaces();
                int[] idx = new int[faces * 3];
                int k = 0;
                for (int f = 0; f < faces; f++) {
                    var face = mesh.mFaces().get(f);
                    if (face.mNumIndices() == 3) {
                        idx[k++] = face.mIndices().get(0);
                        idx[k++] = face.mIndices().get(1);
                        idx[k++] = face.mIndices().get(2);
                    }
                }
                raw.append(verts, java.util.Arrays.copyOf(idx, k), new Matrix4f());
            }
            if (raw.vertexCount() == 0) {
                throw new UserException(file + ": no triangles in the file");
            }
            Vector3f size = new Vector3f(max).sub(min);
            float scale = 2.0f / Math.max(size.x, Math.max(size.y, size.z));
            Matrix4f fit = new Matrix4f().scale(scale).translate(-(min.x + max.x) / 2, -min.y, -(min.z + max.z) / 2);
            return new MeshBuilder().append(raw.vertices(), raw.indices(), fit);
        } finally {
            aiReleaseImport(scene);
        }
    }
}
