package org.reconview.scene;

import org.joml.Vector3f;

/**
 * Surface description for the forward shader: base colour, GGX roughness and metalness, emission (linear, can be far
 * above 1), and a procedural pattern with its scale (repeats per texture-coordinate unit). {@code text} is drawn into
 * a texture for {@link Pattern#TEXT}.
 */
public record Material(Vector3f albedo, float roughness, float metallic, Vector3f emissive, Pattern pattern,
        float patternScale, String text) {

    public static Material diffuse(float r, float g, float b) {
        return new Material(new Vector3f(r, g, b), 0.8f, 0f, new Vector3f(), Pattern.PLAIN, 1f, null);
    }

    public static Material glossy(float r, float g, float b, float roughness, float metallic) {
        return new Material(new Vector3f(r, g, b), roughness, metallic, new Vector3f(), Pattern.PLAIN, 1f, null);
    }

    public static Material emissive(float r, float g, float b) {
        return new Material(new Vector3f(0.02f), 0.9f, 0f, new Vector3f(r, g, b), Pattern.PLAIN, 1f, null);
    }

    public Material withPattern(Pattern p, float scale) {
        return new Material(albedo, roughness, metallic, emissive, p, scale, text);
    }

    public Material withText(String t, float scale) {
        return new Material(albedo, roughness, metallic, emissive, Pattern.TEXT, scale, t);
    }
}
