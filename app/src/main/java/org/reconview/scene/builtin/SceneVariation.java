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
 * bulbs) do that on top.
 */
public final class SceneVariation {
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
        return new Scene(s.name(), s.description(), s.heldOut(), objects, lights, s.sky(), camera, s.fps());
    }

    private static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }
}
