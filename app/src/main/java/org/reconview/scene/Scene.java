package org.reconview.scene;

import java.util.List;

/**
 * A built-in or imported scene: what is drawn (objects, lights, sky) and how the camera moves. Building a scene from
 * a seed is deterministic; the renderer reads it and never changes it.
 */
public record Scene(String name, String description, Role role, List<SceneObject> objects, List<Light> lights,
        Sky sky, CameraPath camera, double fps) {

    /**
     * What a built-in scene may be used for. Training data never holds a VALIDATION or HELD_OUT scene; validation
     * data may hold a VALIDATION scene (chosen on, so never evaluated as unseen); HELD_OUT is only ever evaluated.
     */
    public enum Role {
        TRAINING("train"), VALIDATION("val"), HELD_OUT("held-out");

        public final String label;

        Role(String label) {
            this.label = label;
        }
    }

    public boolean heldOut() {
        return role == Role.HELD_OUT;
    }

    public double duration() {
        return camera.duration();
    }

    /** Scene time of a frame index. */
    public double time(int frame) {
        return frame / fps;
    }

    /** Whether the frame starts a new shot: frame 0, a cut in the camera path, or the loop point. */
    public boolean isCut(int frame) {
        return frame == 0 || camera.cutBetween(time(frame - 1), time(frame));
    }
}
