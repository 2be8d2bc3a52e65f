package org.reconview.scene.builtin;

import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.reconview.UserException;
import org.reconview.scene.Scene;

/**
 * The scenes that ship with reconview, by name. Exactly one is held out of training for evaluation (courtyard); one is
 * kept for validation only (plaza: models are chosen on it, so it is never a held-out result either).
 */
public final class BuiltinScenes {
    /** A built-in scene's listing and its builder (deterministic for a seed). */
    public record Entry(String name, String description, Scene.Role role, LongFunction<Scene> builder) {
        public boolean heldOut() {
            return role == Scene.Role.HELD_OUT;
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            entry(BalconyScene::build),
            entry(GardenScene::build),
            entry(SignsScene::build),
            entry(InteriorScene::build),
            entry(PlazaScene::build),
            entry(CourtyardScene::build));

    public static final String DEFAULT = "courtyard";

    private BuiltinScenes() {
    }

    private static Entry entry(LongFunction<Scene> builder) {
        Scene s = builder.apply(0); // cheap: geometry is built on the CPU only
        return new Entry(s.name(), s.description(), s.role(), builder);
    }

    public static List<Entry> all() {
        return ENTRIES;
    }

    /** Names of the scenes with the given role, in listing order. */
    public static List<String> names(Scene.Role role) {
        return ENTRIES.stream().filter(e -> e.role == role).map(Entry::name).toList();
    }

    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }

    public static boolean exists(String name) {
        return ENTRIES.stream().anyMatch(e -> e.name.equals(name));
    }

    /**
     * Builds a scene by name with its seeded variation ({@link SceneVariation}; seed 0 is the scene as designed), or
     * fails with a one-line error listing the known names.
     */
    public static Scene build(String name, long seed) {
        Scene scene = ENTRIES.stream().filter(e -> e.name.equals(name)).findFirst()
                .orElseThrow(() -> new UserException("--scene: unknown scene '" + name + "' (known: "
                        + ENTRIES.stream().map(Entry::name).collect(Collectors.joining(", "))
                        + "; or a path to an OBJ/glTF/FBX file)"))
                .builder.apply(seed);
        return SceneVariation.apply(scene, seed);
    }
}
