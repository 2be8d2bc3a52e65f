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
 * A dark hall lit by sixty small bulbs and two spot lights: glossy striped floor and mirror-like spheres whose
 * highlights reach hundreds of times the diffuse level, a slowly turning glossy block. HDR fireflies and specular
 * aliasing. Slow walk down the hall.
 */
final class InteriorScene {
    private InteriorScene() {
    }

    static Scene build(long seed) {
        Random rnd = new Random(seed ^ 0x696e746572L);
        List<SceneObject> objects = new ArrayList<>();
        objects.add(SceneObject.fixed("floor", new MeshBuilder().quad(new Matrix4f().rotateX((float) -Math.PI / 2)
                .scale(12, 20, 1), 24, 40), Material.glossy(0.3f, 0.17f, 0.08f, 0.2f, 0f)
                .withPattern(Pattern.STRIPES, 1)));
        objects.add(SceneObject.fixed("ceiling", new MeshBuilder().quad(new Matrix4f().translation(0, 4, 0)
                .rotateX((float) Math.PI / 2).scale(12, 20, 1), 1, 1), Material.diffuse(0.05f, 0.05f, 0.05f)));
        Material tiles = Material.glossy(0.4f, 0.4f, 0.42f, 0.35f, 0f).withPattern(Pattern.TILES, 1);
        MeshBuilder walls = SceneKit.wall(new Vector3f(-6, 2, 0), 20, 4, 90, 40, 8);
        walls.append(SceneKit.wall(new Vector3f(6, 2, 0), 20, 4, -90, 40, 8));
        walls.append(SceneKit.wall(new Vector3f(0, 2, -10), 12, 4, 0, 24, 8));
        walls.append(SceneKit.wall(new Vector3f(0, 2, 10), 12, 4, 180, 24, 8));
        objects.add(SceneObject.fixed("walls", walls, tiles));

        List<Light> lights = new ArrayList<>();
        MeshBuilder bulbs = new MeshBuilder();
        MeshBuilder cords = new MeshBuilder();
        for (int ix = 0; ix < 6; ix++) {
            for (int iz = 0; iz < 10; iz++) {
                float x = -4.5f + ix * 1.8f;
                float z = -8.5f + iz * 1.9f;
                float y = 3.3f + rnd.nextFloat() * 0.4f;
                bulbs.sphere(new Matrix4f().translation(x, y, z).scale(0.035f), 8, 12);
                cords.cylinder(new Vector3f(x, y, z), new Vector3f(x, 4, z), 0.004f, 4);
                float warm = 0.8f + 0.4f * rnd.nextFloat();
                lights.add(Light.point(new Vector3f(x, y - 0.05f, z), new Vector3f(1.1f * warm, 0.8f, 0.5f / warm),
                        4.5f));
            }
        }
        objects.add(SceneObject.fixed("bulbs", bulbs, Material.emissive(60f, 45f, 28f)));
        objects.add(SceneObject.fixed("cords", cords, Material.diffuse(0.02f, 0.02f, 0.02f)));

        MeshBuilder spheres = new MeshBuilder();
        MeshBuilder pedestals = new MeshBuilder();
        for (int i = 0; i < 5; i++) {
            float z = -7 + i * 3.2f;
            float x = (i % 2 == 0) ? -2.2f : 2.2f;
            pedestals.box(new Matrix4f().translation(x, 0.5f, z).scale(0.6f, 1.0f, 0.6f), 1);
            spheres.sphere(new Matrix4f().translation(x, 1.3f, z).scale(0.3f), 32, 64);
        }
        objects.add(SceneObject.fixed("pedestals", pedestals, Material.glossy(0.6f, 0.6f, 0.6f, 0.4f, 0f)));
        objects.add(SceneObject.fixed("spheres", spheres, Material.glossy(0.95f, 0.8f, 0.5f, 0.04f, 1f)));
        MeshBuilder block = new MeshBuilder().box(new Matrix4f(), 1);
        objects.add(SceneKit.moving("block", block, Material.glossy(0.1f, 0.2f, 0.6f, 0.08f, 0f),
                t -> new Matrix4f().translation(0, 1.0f, -5).rotateY((float) (0.5 * t)).rotateX(0.4f).scale(0.9f)));

        lights.add(Light.spot(new Vector3f(0, 3.9f, -2), new Vector3f(0, -1, -0.9f), new Vector3f(40, 38, 34), 12,
                12, 22));
        lights.add(Light.spot(new Vector3f(3, 3.9f, 4), new Vector3f(-0.6f, -1, 0.3f), new Vector3f(20, 24, 40), 10,
                15, 28));

        CameraPath camera = CameraPath.single(12.0, CameraPath.dolly(new Vector3f(0.3f, 1.6f, 8.5f),
                new Vector3f(0, 1.2f, -2), new Vector3f(1.2f, 1.4f, -2.5f), new Vector3f(-0.5f, 1.0f, -9), 12.0, 60));
        return new Scene("interior", "dark hall with sixty small lights, glossy floor and mirror spheres (HDR"
                + " highlights); slow walk", Scene.Role.TRAINING, objects, lights, Sky.night(), camera, 30);
    }
}
