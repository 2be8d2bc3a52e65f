package org.reconview.scene;

import java.util.Arrays;
import org.joml.Matrix3f;
import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * Builds indexed triangle meshes on the CPU (interleaved position, normal, uv: the layout of
 * {@link org.reconview.gl.Mesh}) from primitives placed by a transform. Static scenery of one material is merged into
 * one mesh so that thousands of railing bars or leaves cost one draw call.
 */
public final class MeshBuilder {
    private float[] vertices = new float[1024];
    private int[] indices = new int[1024];
    private int vertexFloats;
    private int indexCount;

    public int vertexCount() {
        return vertexFloats / 8;
    }

    public float[] vertices() {
        return Arrays.copyOf(vertices, vertexFloats);
    }

    public int[] indices() {
        return Arrays.copyOf(indices, indexCount);
    }

    private int vertex(Matrix4f m, Matrix3f n, float px, float py, float pz, float nx, float ny, float nz, float u,
            float v) {
        Vector3f p = m.transformPosition(new Vector3f(px, py, pz));
        Vector3f nn = n.transform(new Vector3f(nx, ny, nz));
        float len = nn.length();
        // a zero or broken normal would shade to NaN: point it up instead
        nn = len > 1e-20f && Float.isFinite(len) ? nn.div(len) : new Vector3f(0, 1, 0);
        if (vertexFloats + 8 > vertices.length) {
            vertices = Arrays.copyOf(vertices, vertices.length * 2);
        }
        float[] f = {p.x, p.y, p.z, nn.x, nn.y, nn.z, u, v};
        System.arraycopy(f, 0, vertices, vertexFloats, 8);
        vertexFloats += 8;
        return vertexFloats / 8 - 1;
    }

    private void triangle(int a, int b, int c) {
        if (indexCount + 3 > indices.length) {
            indices = Arrays.copyOf(indices, indices.length * 2);
        }
        indices[indexCount++] = a;
        indices[indexCount++] = b;
        indices[indexCount++] = c;
    }

    private static Matrix3f normalMatrix(Matrix4f m) {
        return m.normal(new Matrix3f());
    }

    /** A unit quad in the xy plane from (-0.5,-0.5) to (0.5,0.5), normal +z, uv 0..uvScale. */
    public MeshBuilder quad(Matrix4f m, float uScale, float vScale) {
        Matrix3f n = normalMatrix(m);
        int a = vertex(m, n, -0.5f, -0.5f, 0, 0, 0, 1, 0, vScale);
        int b = vertex(m, n, 0.5f, -0.5f, 0, 0, 0, 1, uScale, vScale);
        int c = vertex(m, n, 0.5f, 0.5f, 0, 0, 0, 1, uScale, 0);
        int d = vertex(m, n, -0.5f, 0.5f, 0, 0, 0, 1, 0, 0);
        triangle(a, b, c);
        triangle(a, c, d);
        return this;
    }

    /** A unit cube centred at the origin; uv per face spans 0..uvScale. */
    public MeshBuilder box(Matrix4f m, float uvScale) {
        float[][] faces = { // normal, then tangent u, then v
            {1, 0, 0, 0, 0, -1, 0, 1, 0}, {-1, 0, 0, 0, 0, 1, 0, 1, 0},
            {0, 1, 0, 1, 0, 0, 0, 0, -1}, {0, -1, 0, 1, 0, 0, 0, 0, 1},
            {0, 0, 1, 1, 0, 0, 0, 1, 0}, {0, 0, -1, -1, 0, 0, 0, 1, 0}};
        Matrix3f n = normalMatrix(m);
        for (float[] f : faces) {
            int base = -1;
            for (int k = 0; k < 4; k++) {
                float su = (k == 1 || k == 2) ? 0.5f : -0.5f;
                float sv = (k >= 2) ? 0.5f : -0.5f;
                float x = f[0] * 0.5f + f[3] * su + f[6] * sv;
                float y = f[1] * 0.5f + f[4] * su + f[7] * sv;
                float z = f[2] * 0.5f + f[5] * su + f[8] * sv;
                int idx = vertex(m, n, x, y, z, f[0], f[1], f[2], (su + 0.5f) * uvScale, (0.5f - sv) * uvScale);
                if (base < 0) {
                    base = idx;
                }
            }
            triangle(base, base + 1, base + 2);
            triangle(base, base + 2, base + 3);
        }
        return this;
    }

    /** A capped cylinder of the given radius between two points (thin bars, wires, posts). */
    public MeshBuilder cylinder(Vector3f from, Vector3f to, float radius, int segments) {
        Vector3f axis = new Vector3f(to).sub(from);
        float length = axis.length();
        Matrix4f m = new Matrix4f().translation(from)
                .rotateTowards(new Vector3f(axis).normalize(), Math.abs(axis.y) > 0.99f * length
                        ? new Vector3f(1, 0, 0) : new Vector3f(0, 1, 0))
                .scale(radius, radius, length);
        // local cylinder along +z from 0 to 1, radius 1
        Matrix3f n = normalMatrix(m);
        int base = vertexCount();
        for (int i = 0; i <= segments; i++) {
            double a = 2 * Math.PI * i / segments;
            float c = (float) Math.cos(a);
            float s = (float) Math.sin(a);
            vertex(m, n, c, s, 0, c, s, 0, (float) i / segments, 1);
            vertex(m, n, c, s, 1, c, s, 0, (float) i / segments, 0);
        }
        for (int i = 0; i < segments; i++) {
            int a = base + 2 * i;
            triangle(a, a + 2, a + 3);
            triangle(a, a + 3, a + 1);
        }
        for (int cap = 0; cap < 2; cap++) {
            float z = cap;
            float nz = cap == 0 ? -1 : 1;
            int center = vertex(m, n, 0, 0, z, 0, 0, nz, 0.5f, 0.5f);
            for (int i = 0; i <= segments; i++) {
                double a = 2 * Math.PI * i / segments;
                vertex(m, n, (float) Math.cos(a), (float) Math.sin(a), z, 0, 0, nz, 0.5f, 0.5f);
            }
            for (int i = 0; i < segments; i++) {
                if (cap == 0) {
                    triangle(center, center + 2 + i, center + 1 + i);
                } else {
                    triangle(center, center + 1 + i, center + 2 + i);
                }
            }
        }
        return this;
    }

    /** A UV sphere of radius 1 placed by the transform. */
    public MeshBuilder sphere(Matrix4f m, int rings, int segments) {
        Matrix3f n = normalMatrix(m);
        int base = vertexCount();
        for (int r = 0; r <= rings; r++) {
            double phi = Math.PI * r / rings;
            for (int s = 0; s <= segments; s++) {
                double theta = 2 * Math.PI * s / segments;
                float x = (float) (Math.sin(phi) * Math.cos(theta));
                float y = (float) Math.cos(phi);
                float z = (float) (Math.sin(phi) * Math.sin(theta));
                vertex(m, n, x, y, z, x, y, z, (float) s / segments, (float) r / rings);
            }
        }
        for (int r = 0; r < rings; r++) {
            for (int s = 0; s < segments; s++) {
                int a = base + r * (segments + 1) + s;
                int b = a + segments + 1;
                triangle(a, a + 1, b + 1);
                triangle(a, b + 1, b);
            }
        }
        return this;
    }

    /** Appends another builder's triangles unchanged. */
    public MeshBuilder append(MeshBuilder other) {
        return append(other.vertices(), other.indices(), new Matrix4f());
    }

    /** Appends raw triangles (already in the interleaved layout) transformed by m. */
    public MeshBuilder append(float[] verts, int[] idx, Matrix4f m) {
        Matrix3f n = normalMatrix(m);
        int base = vertexCount();
        for (int i = 0; i < verts.length; i += 8) {
            vertex(m, n, verts[i], verts[i + 1], verts[i + 2], verts[i + 3], verts[i + 4], verts[i + 5], verts[i + 6],
                    verts[i + 7]);
        }
        for (int i = 0; i + 2 < idx.length; i += 3) {
            triangle(base + idx[i], base + idx[i + 1], base + idx[i + 2]);
        }
        return this;
    }
}
