package org.reconview.scene;

import org.joml.Matrix4f;
import org.joml.Vector3f;

/** Where the camera is and what it looks at, with its vertical field of view in degrees. */
public record CameraPose(Vector3f position, Vector3f target, float fovDegrees) {
    public static final float NEAR = 0.05f;
    public static final float FAR = 400f;

    public Matrix4f view() {
        return new Matrix4f().lookAt(position, target, new Vector3f(0, 1, 0));
    }

    /**
     * Projection with y flipped, so that framebuffer row 0 is the top row of the image: every texture in reconview
     * is stored top row first, like the image files.
     */
    public Matrix4f projection(float aspect) {
        return new Matrix4f().scaling(1, -1, 1).perspective((float) Math.toRadians(fovDegrees), aspect, NEAR, FAR);
    }

    public Matrix4f viewProjection(float aspect) {
        return projection(aspect).mul(view());
    }
}
