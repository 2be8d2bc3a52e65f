package org.reconview.scene;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * A user's mesh file shown as a scene: the model (fitted to 2 m, on a checkered ground) with its file's materials and
 * base-colour textures ({@link MeshImporter}; glossy grey where the file has none), a sun, a warm point light and a
 * cool spot light, and a camera orbiting it once in 12 seconds.
 */
public final class MeshScene {
    private MeshScene() {
    }

    /** The scene of a mesh file; a texture it cannot use is one warning line on stderr. */
    public static Scene load(Path file) {
        return load(file, w -> System.err.println("reconview: warning: " + w));
    }

    public static Scene load(Path file, Consumer<String> warnings) {
        MeshImporter.Model model = MeshImporter.importModel(file, warnings);
        Sky sky = Sky.day();
        List<SceneObject> objects = new ArrayList<>();
        objects.add(SceneObject.fixed("ground", new MeshBuilder().quad(new Matrix4f().rotateX((float) -Math.PI / 2)
                .scale(40), 80, 80), Material.diffuse(0.5f, 0.5f, 0.5f).withPattern(Pattern.CHECKER, 1)));
        for (MeshImporter.Part p : model.parts()) {
            objects.add(SceneObject.fixed(p.name(), p.mesh(), p.material()));
        }
        List<Light> lights = List.of(
                Light.directional(new Vector3f(sky.sunDirection()).negate(), new Vector3f(3f, 2.9f, 2.7f)),
                Light.point(new Vector3f(1.8f, 2.2f, 1.5f), new Vector3f(8f, 6f, 4f), 8f),
                Light.spot(new Vector3f(-2, 3.5f, -1.5f), new Vector3f(0.5f, -1, 0.4f), new Vector3f(10, 14, 24), 10,
                        15, 30));
        CameraPath camera = CameraPath.single(12.0,
                CameraPath.orbit(new Vector3f(0, 0.9f, 0), 4.2f, 0.9f, 0.0, 2 * Math.PI / 12.0, 45));
        String name = file.getFileName().toString();
        return new Scene(name, "mesh file " + file, Scene.Role.TRAINING, List.copyOf(objects), lights, sky, camera,
                30);
    }
}
