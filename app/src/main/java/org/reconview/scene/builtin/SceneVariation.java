package org.reconview.scene.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.joml.Vector3f;
import org.reconview.scene.CameraPose;
import org.reconview.scene.Light;
import org.reconview.scene.Material;
import org.reconview.scene.Scene;
import org.reconview.scene.SceneObject;

/**
 * Seeded variations of a built-in scene, so that seeds give different sequences and training data covers more than
 * one look of each scene: the camera moves at another speed along a nudged path (closer or farther along its line of
 * sight, the target shifted), with another field of view; every light takes another colour and intensity; every
 * material another tint, roughness and emission. Cut times stay, so shots stay shots. Seed 0 is the scene as
 * designed, unchanged (the bit-identical frames of earlier releases); scenes that place things from the seed (leaves,
 * bulbs) do that on top. Seeds from {@link #MOVERS_FROM} on also add {@link #MOVERS} objects that travel with the
 * camera and sweep across the view (a box and a ball, patterned): the moving foregrounds and disocclusions that a
 * reconstruction must reject history for, which most scenes lack. (Seeds below it render as they did before this was
 * added, so datasets made with them stay reproducible.)
 */
public final class SceneVariation {
    /** The first seed whose variation adds moving objects. */
    public static final long MOVERS_FROM = 10;
    public static final int MOVERS = 3;

    private SceneVariation() {
    }

    public static Scene apply(Scene s, long seed) {
        if (seed == 0) {
            return s;
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ s.name().hashCode());
        double timeScale = uniform(rnd, 0.7, 1.35);
        float along = (float) uniform(rnd, -0.15, 0.1);
        Vector3f side = new Vector3f((float) uniform(rnd, -0.15, 0.15), (float) uniform(rnd, -0.1, 0.15),
                (float) uniform(rnd, -0.15, 0.15));
        Vector3f aim = new Vector3f((float) uniform(rnd, -0.4, 0.4), (float) uniform(rnd, -0.25, 0.25),
                (float) uniform(rnd, -0.4, 0.4));
        float fov = (float) uniform(rnd, 0.85, 1.15);
        var camera = s.camera().varied(timeScale, p -> {
            Vector3f line = new Vector3f(p.target()).sub(p.position());
            Vector3f eye = new Vector3f(p.position()).fma(along, line).add(side);
            return new CameraPose(eye, new Vector3f(p.target()).add(aim), p.fovDegrees() * fov);
        });
        List<Light> lights = new ArrayList<>();
        for (Light l : s.lights()) {
            float gain = (float) uniform(rnd, 0.6, 1.6);
            Vector3f c = new Vector3f(l.color()).mul(gain * (float) uniform(rnd, 0.8, 1.2),
                    gain * (float) uniform(rnd, 0.8, 1.2), gain * (float) uniform(rnd, 0.8, 1.2));
            lights.add(new Light(l.type(), l.position(), l.direction(), c, l.range(), l.cosInner(), l.cosOuter()));
        }
        List<SceneObject> objects = new ArrayList<>();
        for (SceneObject o : s.objects()) {
            Material m = o.material();
            Vector3f albedo = new Vector3f(m.albedo()).mul((float) uniform(rnd, 0.7, 1.3),
                    (float) uniform(rnd, 0.7, 1.3), (float) uniform(rnd, 0.7, 1.3)).min(new Vector3f(0.95f));
            float rough = (float) Math.min(1, Math.max(0.05, m.roughness() * uniform(rnd, 0.7, 1.4)));
            Vector3f emissive = new Vector3f(m.emissive()).mul((float) uniform(rnd, 0.6, 1.6));
            Material v = new Material(albedo, rough, m.metallic(), emissive, m.pattern(), m.patternScale(), m.text());
            objects.add(new SceneObject(o.name(), o.mesh(), v, o.animation(), o.wind()));
        }
        if (seed >= MOVERS_FROM) {
            for (int i = 0; i < MOVERS; i++) {
                objects.add(mover(i, rnd, camera));
            }
        }
        return new Scene(s.name(), s.description(), s.role(), objects, lights, s.sky(), camera, s.fps());
    }

    /**
     * An object placed in the camera's frame at each instant (so it stays in view through a shot) and sweeping across
     * it: x in view space a sine of random period and phase over most of the view's width, at a random depth and
     * height, turning as it goes; its motion vectors follow from the animation like any object's.
     */
    private static SceneObject mover(int i, SplittableRandom rnd, org.reconview.scene.CameraPath camera) {
        boolean ball = i % 2 == 1;
        float size = (float) uniform(rnd, 0.15, 0.45);
        float depth = (float) uniform(rnd, 1.5, 4.5);
        float height = (float) uniform(rnd, -0.35, 0.25) * depth;
        double period = uniform(rnd, 2.0, 6.0);
        double phase = uniform(rnd, 0, 2 * Math.PI);
        double spin = uniform(rnd, -2, 2);
        Material m = Material.glossy((float) uniform(rnd, 0.05, 0.9), (float) uniform(rnd, 0.05, 0.9),
                (float) uniform(rnd, 0.05, 0.9), (float) uniform(rnd, 0.1, 0.7), rnd.nextInt(4) == 0 ? 1f : 0f)
                .withPattern(rnd.nextBoolean() ? org.reconview.scene.Pattern.CHECKER
                        : org.reconview.scene.Pattern.STRIPES, 2 + rnd.nextInt(4));
        org.reconview.scene.MeshBuilder mesh = ball
                ? new org.reconview.scene.MeshBuilder().sphere(new org.joml.Matrix4f(), 16, 32)
                : new org.reconview.scene.MeshBuilder().box(new org.joml.Matrix4f(), 1);
        return new SceneObject("mover-" + i, mesh, m, t -> {
            CameraPose pose = camera.at(t);
            float halfWidth = (float) (depth * Math.tan(Math.toRadians(pose.fovDegrees()) / 2));
            float x = (float) (0.9 * halfWidth * Math.sin(2 * Math.PI * t / period + phase));
            org.joml.Matrix4f cameraToWorld = pose.view().invert(new org.joml.Matrix4f());
            return cameraToWorld.translate(x, height, -depth).rotateY((float) (spin * t)).scale(size);
        }, 0f);
    }

    private static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }
}
