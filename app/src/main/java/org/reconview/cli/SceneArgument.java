package org.reconview.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.reconview.UserException;
import org.reconview.scene.MeshScene;
import org.reconview.scene.Scene;
import org.reconview.scene.builtin.BuiltinScenes;

/** Resolves {@code --scene}: a built-in scene name, or a path to a mesh file shown with defaults. */
final class SceneArgument {
    private SceneArgument() {
    }

    static Scene resolve(String arg, long seed) {
        if (arg.isBlank()) {
            throw new UserException("--scene: empty (a built-in scene: " + String.join(", ", BuiltinScenes.names())
                    + "; or a path to an OBJ/glTF/FBX file)");
        }
        if (BuiltinScenes.exists(arg)) {
            return BuiltinScenes.build(arg, seed);
        }
        Path path = Path.of(arg);
        boolean looksLikePath = arg.contains("/") || arg.contains(".") || Files.exists(path);
        if (looksLikePath) {
            if (!Files.exists(path)) {
                throw new UserException(arg + ": not found");
            }
            if (Files.isDirectory(path)) {
                throw new UserException(arg + ": a folder, not a mesh file (OBJ/glTF/FBX)");
            }
            return MeshScene.load(path);
        }
        return BuiltinScenes.build(arg, seed); // throws with the list of known names
    }
}
