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
 * Validation-only scene: a station forecourt at dusk. The training scenes each hold one difficulty; the held-out
 * courtyard mixes them, and validation on the training scenes' other seeds did not predict it. This scene mixes them
 * too, with its own layout, so that choices made on validation (checkpoints, quantizer ranges) see mixed content:
 * lettered departure boards and small print on a brick facade, lamp posts and a string of bulbs with HDR highlights in
 * front of it, a bench rail and bollards, a planter, a tram-like box sliding across and a ball rolling. Shots: lateral
 * track past the lamp posts, cut, crane down onto the boards, cut, slow push-in to the small print.
 */
final class PlazaScene {
    private PlazaScene() {
    }

    private static final String[] BOARDS = {
        "DEPARTURES\n21:40  NORTH  3\n21:52  HARBOUR  1",
        "PLAZA STATION\nvalidation scene",
        "Tickets are valid for\n90 minutes from the first\nvalidation. Keep clear\nof the platform edge.",
    };

    static Scene build(long seed) {
        Random rnd = new Random(seed ^ 0x706c617a61L);
        Sky sky = Sky.dusk();
        List<SceneObject> objects = new ArrayList<>();
        double yaw = Math.toRadians(8); // the facade turns a little toward the first shot
        objects.add(SceneKit.ground(70, Material.glossy(0.35f, 0.34f, 0.33f, 0.25f, 0f)
                .withPattern(Pattern.TILES, 1), 140));
        objects.add(SceneObject.fixed("facade", SceneKit.wall(new Vector3f(0, 4, -8), 24, 8, (float) Math.toDegrees(yaw), 60, 20),
                Material.glossy(0.45f, 0.22f, 0.15f, 0.6f, 0f).withPattern(Pattern.TILES, 1)));
        for (int i = 0; i < BOARDS.length; i++) {
            float u = -5.5f + i * 4.2f; // along the facade, 6 cm in front of it
            Vector3f c = new Vector3f((float) (u * Math.cos(yaw) + 0.06 * Math.sin(yaw)), 2.4f + 0.3f * (i % 2),
                    (float) (-8 - u * Math.sin(yaw) + 0.06 * Math.cos(yaw)));
            MeshBuilder board = new MeshBuilder().quad(new Matrix4f().translation(c).rotateY((float) yaw)
                    .scale(3.4f, 1.5f, 1), 1, 1);
            Material m = i == 0 ? Material.emissive(4.5f, 3.2f, 0.6f).withText(BOARDS[i], 1)
                    : Material.glossy(0.85f, 0.84f, 0.78f, 0.35f, 0f).withText(BOARDS[i], 1);
            objects.add(SceneObject.fixed("board-" + i, board, m));
        }

        List<Light> lights = new ArrayList<>();
        lights.add(Light.directional(new Vector3f(sky.sunDirection()).negate(), new Vector3f(2.4f, 1.9f, 1.5f)));
        MeshBuilder posts = new MeshBuilder();
        MeshBuilder globes = new MeshBuilder();
        for (int i = 0; i < 5; i++) {
            float x = -6 + i * 3.1f;
            float z = 0.5f - 0.6f * (i % 2);
            posts.cylinder(new Vector3f(x, 0, z), new Vector3f(x, 3.2f, z), 0.04f, 8);
            posts.cylinder(new Vector3f(x, 3.2f, z), new Vector3f(x + 0.35f, 3.3f, z), 0.02f, 6);
            globes.sphere(new Matrix4f().translation(x + 0.35f, 3.15f, z).scale(0.09f), 10, 16);
            lights.add(Light.point(new Vector3f(x + 0.35f, 3.05f, z), new Vector3f(3.2f, 2.6f, 1.8f), 6f));
        }
        objects.add(SceneObject.fixed("posts", posts, Material.glossy(0.1f, 0.1f, 0.11f, 0.3f, 1f)));
        objects.add(SceneObject.fixed("globes", globes, Material.emissive(45f, 40f, 30f)));
        MeshBuilder wire = new MeshBuilder();
        MeshBuilder bulbs = new MeshBuilder();
        Vector3f from = new Vector3f(-7, 4.6f, -6.5f);
        Vector3f to = new Vector3f(7, 4.4f, -5.5f);
        SceneKit.wire(wire, from, to, 0.6f, 0.008f);
        for (int i = 1; i < 20; i++) {
            float u = i / 20f;
            Vector3f p = new Vector3f(from).lerp(to, u);
            p.y -= 0.6f * 4 * u * (1 - u) + 0.05f;
            bulbs.sphere(new Matrix4f().translation(p).scale(0.03f), 6, 10);
        }
        objects.add(SceneObject.fixed("wire", wire, Material.diffuse(0.02f, 0.02f, 0.02f)));
        objects.add(SceneObject.fixed("bulbs", bulbs, Material.emissive(70f, 30f, 12f)));
        objects.add(SceneObject.fixed("bench-rail", SceneKit.railing(-3, 3, -2.5f, 0.8f, 0.25f, 0.012f),
                Material.glossy(0.6f, 0.6f, 0.62f, 0.2f, 1f)));
        MeshBuilder bollards = new MeshBuilder();
        for (int i = 0; i < 9; i++) {
            float x = -6 + i * 1.5f;
            bollards.cylinder(new Vector3f(x, 0, 2.6f), new Vector3f(x, 0.7f, 2.6f), 0.08f, 12);
        }
        objects.add(SceneObject.fixed("bollards", bollards, Material.glossy(0.75f, 0.7f, 0.2f, 0.4f, 0f)
                .withPattern(Pattern.STRIPES, 2)));
        MeshBuilder planter = new MeshBuilder().box(new Matrix4f().translation(4.5f, 0.35f, -4).scale(1.6f, 0.7f,
                0.8f), 1);
        objects.add(SceneObject.fixed("planter", planter, Material.diffuse(0.3f, 0.3f, 0.28f)));
        MeshBuilder shrub = new MeshBuilder();
        SceneKit.leaves(shrub, rnd, new Vector3f(4.5f, 1.1f, -4), 1.4f, 160, 0.15f);
        objects.add(new SceneObject("shrub", shrub, Material.glossy(0.1f, 0.3f, 0.1f, 0.6f, 0f)
                .withPattern(Pattern.LEAF, 1), t -> new Matrix4f(), 0.04f));

        MeshBuilder box = new MeshBuilder().box(new Matrix4f(), 2);
        objects.add(SceneKit.moving("tram", box, Material.glossy(0.15f, 0.45f, 0.2f, 0.3f, 0f)
                .withPattern(Pattern.STRIPES, 3), t -> new Matrix4f()
                .translation((float) (-9 + 18 * (0.5 - 0.5 * Math.cos(2 * Math.PI * t / 9.0))), 1.0f, -4.6f)
                .scale(1.6f, 0.9f, 0.5f)));
        MeshBuilder ball = new MeshBuilder().sphere(new Matrix4f(), 24, 48);
        objects.add(SceneKit.moving("ball", ball, Material.glossy(0.85f, 0.2f, 0.15f, 0.1f, 0f)
                .withPattern(Pattern.CHECKER, 6), t -> new Matrix4f()
                .translation((float) (3 * Math.sin(0.7 * t)), 0.35f, (float) (-1 + 0.8 * Math.cos(0.7 * t)))
                .rotateZ((float) (-2.0 * t)).scale(0.35f)));

        CameraPath camera = CameraPath.of(12.0)
                .cutTo(0, CameraPath.dolly(new Vector3f(-6, 1.7f, 6), new Vector3f(-3, 2.2f, -6),
                        new Vector3f(5, 1.7f, 6.5f), new Vector3f(3, 2.2f, -6), 4.0, 55))
                .cutTo(4, CameraPath.dolly(new Vector3f(1, 5.5f, 3), new Vector3f(-1, 2.5f, -8),
                        new Vector3f(0.5f, 2.2f, 2), new Vector3f(-1.5f, 2.4f, -8), 4.0, 50))
                .cutTo(8, CameraPath.dolly(new Vector3f(2.0f, 2.2f, 1.0f), new Vector3f(2.9f, 2.4f, -7.5f),
                        new Vector3f(2.7f, 2.35f, -3.5f), new Vector3f(2.9f, 2.4f, -7.6f), 4.0, 45));
        return new Scene("plaza", "validation-only scene: departure boards and small print behind lamp posts, a"
                + " string of HDR bulbs, rails, bollards, a shrub, a sliding box and a rolling ball; two cuts",
                Scene.Role.VALIDATION, objects, lights, sky, camera, 30);
    }
}
