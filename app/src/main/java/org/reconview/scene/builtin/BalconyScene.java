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
 * Balcony at dusk: a metal railing of one-centimetre bars, power lines and a chain-link fence against a bright sky,
 * tiled ground. Thin geometry is what TAA's neighbourhood clamp loses first. Slow dolly, then a cut to a fast orbit.
 */
final class BalconyScene {
    private BalconyScene() {
    }

    static Scene build(long seed) {
        List<SceneObject> objects = new ArrayList<>();
        Sky sky = Sky.dusk();
        objects.add(SceneKit.ground(80, Material.glossy(0.45f, 0.42f, 0.4f, 0.6f, 0f).withPattern(Pattern.TILES, 1),
                80));
        Material metal = Material.glossy(0.12f, 0.12f, 0.13f, 0.25f, 1f);
        objects.add(SceneObject.fixed("railing", SceneKit.railing(-6, 6, 0, 1.05f, 0.11f, 0.012f), metal));

        MeshBuilder lines = new MeshBuilder();
        float[][] poles = {{-18, -22}, {2, -26}, {22, -24}};
        for (float[] p : poles) {
            lines.cylinder(new Vector3f(p[0], 0, p[1]), new Vector3f(p[0], 9, p[1]), 0.12f, 8);
            lines.cylinder(new Vector3f(p[0] - 1.2f, 8.6f, p[1]), new Vector3f(p[0] + 1.2f, 8.6f, p[1]), 0.06f, 6);
        }
        for (int i = 0; i < poles.length - 1; i++) {
            for (int k = 0; k < 3; k++) {
                float dx = -1.0f + k;
                SceneKit.wire(lines, new Vector3f(poles[i][0] + dx, 8.6f, poles[i][1]),
                        new Vector3f(poles[i + 1][0] + dx, 8.6f, poles[i + 1][1]), 1.2f + 0.3f * k, 0.015f);
            }
        }
        objects.add(SceneObject.fixed("power-lines", lines, Material.diffuse(0.05f, 0.05f, 0.05f)));

        MeshBuilder fence = SceneKit.wall(new Vector3f(0, 1.75f, -10), 24, 3.5f, 0, 24 * 8, 3.5f * 8);
        objects.add(SceneObject.fixed("fence", fence,
                Material.glossy(0.6f, 0.6f, 0.62f, 0.35f, 1f).withPattern(Pattern.FENCE, 1)));

        MeshBuilder building = new MeshBuilder().box(new Matrix4f().translation(-8, 6, -34).scale(14, 12, 6), 1);
        building.box(new Matrix4f().translation(10, 9, -40).scale(10, 18, 8), 1);
        objects.add(SceneObject.fixed("buildings", building,
                Material.glossy(0.35f, 0.3f, 0.28f, 0.5f, 0f).withPattern(Pattern.CHECKER, 12)));

        List<Light> lights = List.of(
                Light.directional(new Vector3f(sky.sunDirection()).negate(), new Vector3f(3.2f, 2.3f, 1.5f)),
                Light.point(new Vector3f(1.5f, 2.2f, 1.5f), new Vector3f(6f, 4.5f, 3f), 8f));

        CameraPath camera = CameraPath.of(12.0)
                .cutTo(0, CameraPath.dolly(new Vector3f(-3, 1.5f, 4), new Vector3f(0, 1.2f, -5),
                        new Vector3f(3, 1.7f, 3.5f), new Vector3f(1, 1.4f, -6), 7.0, 55))
                .cutTo(7, CameraPath.orbit(new Vector3f(0, 1.0f, 0), 5.0f, 0.6f, 0.6, 0.55, 60));
        return new Scene("balcony", "thin railings, power lines and a chain-link fence against a dusk sky;"
                + " slow dolly, cut, fast orbit", Scene.Role.TRAINING, objects, lights, sky, camera, 30);
    }
}
