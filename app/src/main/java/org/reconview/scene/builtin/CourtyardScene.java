package org.reconview.scene.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.reconview.scene.CameraPath;
import org.reconview.scene.Light;
import org.reconview.scene.Material;
import org.reconview.scene.MeshBuilder;
import org.reconview.scene.Pattern;
import org.reconview.scene.Scene;
import org.reconview.scene.SceneObject;
import org.reconview.scene.Sky;

/**
 * Held-out evaluation scene (never used for training, as the paper kept SHOWDOWN out): a courtyard at dusk that mixes
 * every difficulty. Blocks and balls cross in front of a tiled, lettered wall (disocclusion), thin poles and a rail,
 * a windblown bush, small lamps with HDR highlights, and three shots with two cuts: slow orbit, fast pan, close-up.
 */
final class CourtyardScene {
    private CourtyardScene() {
    }

    static Scene build(long seed) {
        Random rnd = new Random(seed ^ 0x636f757274L);
        Sky sky = Sky.dusk();
        List<SceneObject> objects = new ArrayList<>();
        objects.add(SceneKit.ground(60, Material.glossy(0.5f, 0.47f, 0.42f, 0.45f, 0f)
                .withPattern(Pattern.CHECKER, 1), 120));
        objects.add(SceneObject.fixed("back-wall", SceneKit.wall(new Vector3f(0, 2.5f, -6), 16, 5, 0, 32, 10),
                Material.glossy(0.6f, 0.55f, 0.5f, 0.5f, 0f).withPattern(Pattern.TILES, 1)));
        objects.add(SceneObject.fixed("plaque", SceneKit.wall(new Vector3f(-3, 2.6f, -5.95f), 3.2f, 1.6f, 0, 1, 1),
                Material.glossy(0.8f, 0.78f, 0.7f, 0.3f, 0.5f).withText("COURTYARD\nheld-out scene\nframes 0-359", 1)));
        objects.add(SceneObject.fixed("rail", SceneKit.railing(1, 6, -3.5f, 0.9f, 0.1f, 0.01f),
                Material.glossy(0.15f, 0.15f, 0.16f, 0.3f, 1f)));
        MeshBuilder poles = new MeshBuilder();
        for (int i = 0; i < 18; i++) {
            float x = -7 + i * 0.8f;
            poles.cylinder(new Vector3f(x, 0, 1.5f + 0.2f * (i % 3)), new Vector3f(x, 2.4f, 1.5f + 0.2f * (i % 3)),
                    0.015f, 6);
        }
        SceneKit.wire(poles, new Vector3f(-7, 2.4f, 1.5f), new Vector3f(6.6f, 2.4f, 1.9f), 0.3f, 0.01f);
        objects.add(SceneObject.fixed("poles", poles, Material.diffuse(0.08f, 0.07f, 0.06f)));

        MeshBuilder bush = new MeshBuilder();
        SceneKit.leaves(bush, rnd, new Vector3f(-4.5f, 0.9f, -4.6f), 2.0f, 260, 0.17f);
        objects.add(new SceneObject("bush", bush,
                Material.glossy(0.12f, 0.38f, 0.08f, 0.6f, 0f).withPattern(Pattern.LEAF, 1), t -> new Matrix4f(),
                0.05f));

        MeshBuilder cube = new MeshBuilder().box(new Matrix4f(), 2);
        objects.add(SceneKit.moving("block-a", cube, Material.glossy(0.7f, 0.6f, 0.1f, 0.3f, 0f)
                .withPattern(Pattern.CHECKER, 4), SceneKit.shuttle(new Vector3f(-5, 0.6f, -2.5f),
                new Vector3f(5, 0.6f, -2.5f), 7.0, 1.2f, 0.8)));
        objects.add(SceneKit.moving("block-b", cube, Material.glossy(0.1f, 0.5f, 0.6f, 0.2f, 0f),
                SceneKit.shuttle(new Vector3f(4, 1.8f, -1), new Vector3f(-4, 1.2f, -1.5f), 5.0, 0.7f, -1.5)));
        MeshBuilder ball = new MeshBuilder().sphere(new Matrix4f(), 24, 48);
        objects.add(SceneKit.moving("ball", ball, Material.glossy(0.9f, 0.9f, 0.9f, 0.05f, 1f),
                t -> new Matrix4f().translation((float) (2.5 * Math.sin(0.9 * t)),
                        (float) (0.45 + 1.2 * Math.abs(Math.sin(2.2 * t))), 0.5f).scale(0.45f)));

        List<Light> lights = new ArrayList<>();
        lights.add(Light.directional(new Vector3f(sky.sunDirection()).negate(), new Vector3f(2.8f, 2.0f, 1.3f)));
        MeshBuilder lamps = new MeshBuilder();
        for (int i = 0; i < 6; i++) {
            float x = -6 + i * 2.4f;
            lamps.sphere(new Matrix4f().translation(x, 4.2f, -5.7f).scale(0.06f), 8, 12);
            lights.add(Light.point(new Vector3f(x, 4.1f, -5.5f), new Vector3f(3f, 2.2f, 1.2f), 5f));
        }
        objects.add(SceneObject.fixed("lamps", lamps, Material.emissive(50f, 38f, 20f)));

        CameraPath camera = CameraPath.of(12.0)
                .cutTo(0, CameraPath.orbit(new Vector3f(0, 1.2f, -2), 7.5f, 0.8f, 1.2, 0.1, 55))
                .cutTo(4, CameraPath.dolly(new Vector3f(-6, 1.6f, 5), new Vector3f(-4, 1.2f, -5),
                        new Vector3f(6, 1.6f, 5), new Vector3f(4, 1.2f, -5), 4.0, 55))
                .cutTo(8, CameraPath.dolly(new Vector3f(-1.5f, 1.4f, 2.5f), new Vector3f(-2.5f, 1.6f, -6),
                        new Vector3f(-1.2f, 1.4f, 2.2f), new Vector3f(-2.8f, 1.8f, -6), 4.0, 45));
        return new Scene("courtyard", "held-out evaluation scene: moving blocks disoccluding a lettered wall, poles,"
                + " foliage, HDR lamps; two cuts", Scene.Role.HELD_OUT, objects, lights, sky, camera, 30);
    }
}
