package org.reconview.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed <N>}: the scene layout seed, the same option in every command that builds a scene (a picocli mixin).
 * 0 is each scene as designed; other seeds vary its camera path, lights and materials, and from 10 on add objects
 * moving in front of the camera ({@link org.reconview.scene.builtin.SceneVariation}). {@code train}'s {@code --seed} is not
 * this: training reads rendered data, its seed is its own random number generator's.
 */
final class LayoutSeedOption {
    @Option(names = "--seed", paramLabel = "<N>",
            description = "scene layout seed: 0 is the scene as designed; others vary camera path, lights and "
                    + "materials, 10 and up add movers (default: ${DEFAULT-VALUE})")
    long seed;
}
