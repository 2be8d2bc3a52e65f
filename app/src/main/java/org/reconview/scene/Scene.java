package org.reconview.scene;

import java.util.List;

/**
 * A built-in or imported scene: what is drawn (objects, lights, sky) and how the camera moves. Building a scene from
 * a seed is deterministic; the renderer reads it and never changes it.
 */
public record Scene(String name, String description, boolean heldOut, List<SceneObject> objects, List<Light> lights,
        Sky sky, CameraPath camera, double fps) {

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
