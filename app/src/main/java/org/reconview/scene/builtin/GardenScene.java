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
 * Garden in daylight: alpha-tested foliage swaying in the wind (bushes and a tree, leaves placed from the seed) with
 * glossy balls rolling through and disoccluding the grass. Slow orbit.
 */
final class GardenScene {
    private GardenScene() {
    }

    static Scene build(long seed) {
        Random rnd = new Random(seed ^ 0x6a7264656eL);
        Sky sky = Sky.day();
        List<SceneObject> objects = new ArrayList<>();
        objects.add(SceneKit.ground(80, Material.diffuse(0.18f, 0.3f, 0.09f).withPattern(Pattern.CHECKER, 1), 160));

        Material leaf = Material.glossy(0.16f, 0.42f, 0.1f, 0.55f, 0f).withPattern(Pattern.LEAF, 1);
        MeshBuilder bushes = new MeshBuilder();
        for (int i = 0; i < 7; i++) {
            double a = 2 * Math.PI * i / 7 + rnd.nextDouble() * 0.5;
            float r = 3.2f + rnd.nextFloat() * 2.5f;
            float size = 0.8f + rnd.nextFloat() * 0.6f;
            SceneKit.leaves(bushes, rnd, new Vector3f((float) (r * Math.cos(a)), size * 0.7f, (float) (r * Math.sin(a))),
                    size * 2, 400, 0.22f);
        }
        objects.add(new SceneObject("bushes", bushes, leaf, t -> new Matrix4f(), 0.04f));

        MeshBuilder trunk = new MeshBuilder().cylinder(new Vector3f(0, 0, 0), new Vector3f(0, 3.2f, 0), 0.18f, 12);
        trunk.cylinder(new Vector3f(0, 2.4f, 0), new Vector3f(0.9f, 3.4f, 0.3f), 0.06f, 8);
        trunk.cylinder(new Vector3f(0, 2.6f, 0), new Vector3f(-0.8f, 3.6f, -0.4f), 0.05f, 8);
        objects.add(SceneObject.fixed("trunk", trunk, Material.diffuse(0.25f, 0.16f, 0.1f)));
        MeshBuilder canopy = new MeshBuilder();
        SceneKit.leaves(canopy, rnd, new Vector3f(0, 3.7f, 0), 3.6f, 1600, 0.28f);
        objects.add(new SceneObject("canopy", canopy, leaf, t -> new Matrix4f(), 0.015f));

        MeshBuilder ball = new MeshBuilder().sphere(new Matrix4f(), 24, 48);
        objects.add(SceneKit.moving("red-ball", ball, Material.glossy(0.7f, 0.05f, 0.04f, 0.12f, 0f),
                SceneKit.shuttle(new Vector3f(-5, 0.35f, 2.2f), new Vector3f(5, 0.35f, 2.8f), 8.0, 0.35f, 3.0)));
        objects.add(SceneKit.moving("chrome-ball", ball, Material.glossy(0.9f, 0.9f, 0.92f, 0.05f, 1f),
                SceneKit.shuttle(new Vector3f(3, 0.5f, -3), new Vector3f(-4, 0.5f, -1.5f), 6.0, 0.5f, -2.0)));

        List<Light> lights = List.of(
                Light.directional(new Vector3f(sky.sunDirection()).negate(), new Vector3f(4.2f, 4.0f, 3.6f)));
        CameraPath camera = CameraPath.single(12.0,
                CameraPath.orbit(new Vector3f(0, 1.4f, 0), 8.5f, 0.4f, 0.3, 0.12, 55));
        return new Scene("garden", "alpha-tested foliage in the wind, glossy balls rolling through; slow orbit",
                Scene.Role.TRAINING, objects, lights, sky, camera, 30);
    }
}
