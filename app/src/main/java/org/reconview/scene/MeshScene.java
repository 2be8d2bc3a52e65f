package org.reconview.scene;

import java.nio.file.Path;
import java.util.List;
import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * A user's mesh file shown as a scene: the model (fitted to 2 m, on a checkered ground) with a default glossy grey
 * material, a sun, a warm point light and a cool spot light, and a camera orbiting it once in 12 seconds.
 */
public final class MeshScene {
    private MeshScene() {
    }

    public static Scene load(Path file) {
        MeshBuilder model = MeshImporter.load(file);
        Sky sky = Sky.day();
        List<SceneObject> objects = List.of(
                SceneObject.fixed("ground", new MeshBuilder().quad(new Matrix4f().rotateX((float) -Math.PI / 2)
                        .scale(40), 80, 80), Material.diffuse(0.5f, 0.5f, 0.5f).withPattern(Pattern.CHECKER, 1)),
                SceneObject.fixed("model", model, Material.glossy(0.6f, 0.6f, 0.62f, 0.3f, 0f)));
        List<Light> lights = List.of(
                Light.directional(new Vector3f(sky.sunDirection()).negate(), new Vector3f(3f, 2.9f, 2.7f)),
                Light.point(new Vector3f(1.8f, 2.2f, 1.5f), new Vector3f(8f, 6f, 4f), 8f),
                Light.spot(new Vector3f(-2, 3.5f, -1.5f), new Vector3f(0.5f, -1, 0.4f), new Vector3f(10, 14, 24), 10,
                        15, 30));
        CameraPath camera = CameraPath.single(12.0,
                CameraPath.orbit(new Vector3f(0, 0.9f, 0), 4.2f, 0.9f, 0.0, 2 * Math.PI / 12.0, 45));
        String name = file.getFileName().toString();
        return new Scene(name, "mesh file " + file, Scene.Role.TRAINING, objects, lights, sky, camera, 30);
    }
}
