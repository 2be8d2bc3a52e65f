package org.reconview.scene.builtin;

import java.util.ArrayList;
import java.util.List;
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
 * A street of signs: text from headline size down to small print, checkered and striped walls, tiled pavement. High
 * frequencies and text are where blur and flicker show. Fast strafe down the street, cut, slow approach to small
 * print.
 */
final class SignsScene {
    private SignsScene() {
    }

    private static final String[] TEXTS = {
        "RECONVIEW\nTEMPORAL ANTIALIASING",
        "QW-NET 4-BIT\nINT4 FEATURES\nFP32 FILTERS",
        "1 SAMPLE PER PIXEL\nREFERENCE 256 SPP",
        "The quick brown fox jumps\nover the lazy dog.\n0123456789 +-*/=%&@#",
        "PSNR  SSIM  FLIP\nHALTON (2,3) JITTER\nMOTION VECTORS",
        "Small print: every sample\ncounts, and every frame\nmust agree with the last.\nNo flicker, no ghosts,\nno blur. Read this line?",
    };

    static Scene build(long seed) {
        List<SceneObject> objects = new ArrayList<>();
        Sky sky = Sky.day();
        objects.add(SceneKit.ground(80, Material.glossy(0.55f, 0.5f, 0.45f, 0.5f, 0f).withPattern(Pattern.TILES, 1),
                240));
        objects.add(SceneObject.fixed("left-wall", SceneKit.wall(new Vector3f(-4, 3, 0), 48, 6, 90, 96, 12),
                Material.diffuse(0.7f, 0.68f, 0.6f).withPattern(Pattern.CHECKER, 1)));
        objects.add(SceneObject.fixed("right-wall", SceneKit.wall(new Vector3f(4, 3, 0), 48, 6, -90, 60, 8),
                Material.glossy(0.55f, 0.4f, 0.3f, 0.3f, 0f).withPattern(Pattern.STRIPES, 1)));
        for (int i = 0; i < TEXTS.length; i++) {
            boolean left = i % 2 == 0;
            float z = 14 - i * 5.5f;
            float x = left ? -3.95f : 3.95f;
            float yaw = left ? 90 : -90;
            MeshBuilder sign = new MeshBuilder().quad(new Matrix4f().translation(x, 2.2f, z)
                    .rotateY((float) Math.toRadians(yaw)).scale(2.6f, 1.3f, 1), 1, 1);
            Material m = Material.glossy(0.85f, 0.85f, 0.8f, 0.4f, 0f).withText(TEXTS[i], 1);
            objects.add(SceneObject.fixed("sign-" + i, sign, m));
        }
        MeshBuilder neon = new MeshBuilder().quad(new Matrix4f().translation(0, 4.6f, -16).scale(5, 1.2f, 1), 1, 1);
        objects.add(SceneObject.fixed("neon", neon,
                Material.emissive(6f, 1.2f, 4.5f).withText("OPEN ALL NIGHT", 1)));

        List<Light> lights = List.of(
                Light.directional(new Vector3f(sky.sunDirection()).negate(), new Vector3f(3.5f, 3.4f, 3.1f)),
                Light.spot(new Vector3f(0, 5.5f, -10), new Vector3f(0.3f, -1, 0.2f), new Vector3f(60, 55, 45), 14, 20,
                        35));
        CameraPath camera = CameraPath.of(12.0)
                .cutTo(0, CameraPath.dolly(new Vector3f(0.5f, 1.7f, 16), new Vector3f(-1.0f, 1.8f, 6),
                        new Vector3f(0.3f, 1.7f, -8), new Vector3f(-1.5f, 1.9f, -18), 6.0, 60))
                .cutTo(6, CameraPath.dolly(new Vector3f(0, 1.9f, -10), new Vector3f(3.9f, 2.2f, -13.5f),
                        new Vector3f(1.6f, 2.1f, -12.5f), new Vector3f(3.95f, 2.2f, -13.5f), 6.0, 50));
        return new Scene("signs", "text from headlines to small print, checkered and striped walls, tiled street;"
                + " fast strafe, cut, slow approach", Scene.Role.TRAINING, objects, lights, sky, camera, 30);
    }
}
