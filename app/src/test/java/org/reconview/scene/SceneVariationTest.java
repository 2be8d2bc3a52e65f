package org.reconview.scene;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.scene.builtin.SceneVariation;

/** Seeds give different sequences (camera, lights, materials) with the same shots; seed 0 is the scene as designed. */
class SceneVariationTest {
    @Test
    void seedZeroIsTheDesignedSceneAndOtherSeedsDifferButKeepTheirCuts() {
        for (String name : BuiltinScenes.names()) {
            Scene designed = BuiltinScenes.build(name, 0);
            assertSame(designed, SceneVariation.apply(designed, 0));
            Scene a = BuiltinScenes.build(name, 1);
            Scene b = BuiltinScenes.build(name, 2);
            for (int f = 0; f < 360; f++) {
                assertEquals(designed.isCut(f), a.isCut(f), name + " frame " + f + ": cuts stay");
            }
            CameraPose p0 = designed.camera().at(2.0);
            CameraPose p1 = a.camera().at(2.0);
            CameraPose p2 = b.camera().at(2.0);
            assertTrue(p0.position().distance(p1.position()) > 1e-3 || p0.target().distance(p1.target()) > 1e-3,
                    name + ": seed 1 moves the camera");
            assertTrue(p1.position().distance(p2.position()) > 1e-3, name + ": seeds 1 and 2 differ");
            assertNotEquals(designed.lights().get(0).color(), a.lights().get(0).color(), name + ": light colour");
            assertNotEquals(designed.objects().get(0).material().albedo(), a.objects().get(0).material().albedo(),
                    name + ": material tint");
            assertEquals(designed.objects().size(), a.objects().size(), name + ": same objects");
            for (SceneObject o : a.objects()) {
                assertTrue(o.material().albedo().x <= 0.95f && o.material().albedo().y <= 0.95f
                        && o.material().albedo().z <= 0.95f, "albedo stays physical");
            }
            CameraPose same = BuiltinScenes.build(name, 1).camera().at(2.0);
            assertEquals(p1.position(), same.position(), name + ": deterministic");
        }
    }
}
