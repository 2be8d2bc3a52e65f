package org.reconview.scene;

import org.joml.Vector3f;

/**
 * A light of the forward shader. Colour is linear radiance-scale intensity (already multiplied by the power), so
 * small bright lights give HDR highlights well above 1. Point and spot lights fall off with inverse square distance,
 * windowed to zero at {@code range}.
 */
public record Light(Type type, Vector3f position, Vector3f direction, Vector3f color, float range, float cosInner,
        float cosOuter) {

    public enum Type { POINT, SPOT, DIRECTIONAL }

    public static Light point(Vector3f position, Vector3f color, float range) {
        return new Light(Type.POINT, position, new Vector3f(0, -1, 0), color, range, 1, 1);
    }

    public static Light spot(Vector3f position, Vector3f direction, Vector3f color, float range, float innerDeg,
            float outerDeg) {
        return new Light(Type.SPOT, position, direction.normalize(new Vector3f()), color, range,
                (float) Math.cos(Math.toRadians(innerDeg)), (float) Math.cos(Math.toRadians(outerDeg)));
    }

    /** Direction points from the light towards the scene. */
    public static Light directional(Vector3f direction, Vector3f color) {
        return new Light(Type.DIRECTIONAL, new Vector3f(), direction.normalize(new Vector3f()), color, 0, 1, 1);
    }

    /** Packs into the std430 layout of {@code shaders/scene/lighting.glsl}: four vec4 per light. */
    public void pack(float[] out, int offset) {
        float[] v = {
            position.x, position.y, position.z, type.ordinal(),
            color.x, color.y, color.z, range,
            direction.x, direction.y, direction.z, cosOuter,
            cosInner, 0, 0, 0
        };
        System.arraycopy(v, 0, out, offset, v.length);
    }

    public static final int FLOATS = 16;
}
