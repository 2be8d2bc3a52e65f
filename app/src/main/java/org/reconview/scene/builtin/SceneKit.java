package org.reconview.scene.builtin;

import java.util.Random;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.reconview.scene.Animation;
import org.reconview.scene.Material;
import org.reconview.scene.MeshBuilder;
import org.reconview.scene.SceneObject;

/** Building blocks shared by the built-in scenes: ground, railings, wires, foliage, moving props. */
final class SceneKit {
    private SceneKit() {
    }

    static SceneObject ground(float size, Material material, float uvRepeat) {
        MeshBuilder b = new MeshBuilder().quad(new Matrix4f().rotateX((float) -Math.PI / 2).scale(size), uvRepeat,
                uvRepeat);
        return SceneObject.fixed("ground", b, material);
    }

    /** A wall quad of the given size, centred at c, facing +z after a rotation about y by yawDeg. */
    static MeshBuilder wall(Vector3f c, float width, float height, float yawDeg, float uRepeat, float vRepeat) {
        return new MeshBuilder().quad(new Matrix4f().translation(c).rotateY((float) Math.toRadians(yawDeg))
                .scale(width, height, 1), uRepeat, vRepeat);
    }

    /**
     * A railing along x from x0 to x1 at depth z: a top rail, a mid rail and vertical bars every {@code spacing}
     * metres, bars of radius {@code radius} (a centimetre is well under a pixel at the usual camera distances).
     */
    static MeshBuilder railing(float x0, float x1, float z, float height, float spacing, float radius) {
        MeshBuilder b = new MeshBuilder();
        b.cylinder(new Vector3f(x0, height, z), new Vector3f(x1, height, z), radius * 2.5f, 8);
        b.cylinder(new Vector3f(x0, height * 0.5f, z), new Vector3f(x1, height * 0.5f, z), radius * 1.5f, 6);
        for (float x = x0; x <= x1 + 1e-4f; x += spacing) {
            b.cylinder(new Vector3f(x, 0, z), new Vector3f(x, height, z), radius, 6);
        }
        return b;
    }

    /** A sagging wire between two points, as a chain of thin cylinders. */
    static void wire(MeshBuilder b, Vector3f from, Vector3f to, float sag, float radius) {
        int segments = 24;
        Vector3f prev = new Vector3f(from);
        for (int i = 1; i <= segments; i++) {
            float u = (float) i / segments;
            Vector3f p = new Vector3f(from).lerp(to, u);
            p.y -= sag * 4 * u * (1 - u);
            b.cylinder(prev, p, radius, 4);
            prev = p;
        }
    }

    /** A cluster of leaf quads (alpha-tested by the LEAF pattern) scattered in a sphere around a centre. */
    static void leaves(MeshBuilder b, Random rnd, Vector3f center, float radius, int count, float leafSize) {
        for (int i = 0; i < count; i++) {
            Vector3f p = new Vector3f((float) rnd.nextGaussian(), (float) rnd.nextGaussian() * 0.7f,
                    (float) rnd.nextGaussian()).mul(radius * 0.3f).add(center);
            Matrix4f m = new Matrix4f().translation(p)
                    .rotateY((float) (rnd.nextDouble() * Math.PI * 2))
                    .rotateX((float) (rnd.nextDouble() - 0.5) * 1.6f)
                    .rotateZ((float) (rnd.nextDouble() - 0.5) * 1.2f)
                    .scale(leafSize * 0.6f, leafSize, 1);
            b.quad(m, 1, 1);
        }
    }

    /** Moves along a straight line from a to b and back with period seconds, turning about y as it goes. */
    static Animation shuttle(Vector3f a, Vector3f b, double period, float scale, double spin) {
        return t -> {
            double u = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / period);
            Vector3f p = new Vector3f(a).lerp(b, (float) u);
            return new Matrix4f().translation(p).rotateY((float) (spin * t)).scale(scale);
        };
    }

    static SceneObject moving(String name, MeshBuilder mesh, Material m, Animation a) {
        return new SceneObject(name, mesh, m, a, 0f);
    }
}
