package org.reconview.scene;

import org.joml.Vector3f;

/**
 * Surface description for the forward shader: base colour, GGX roughness and metalness, emission (linear, can be far
 * above 1), and a procedural pattern with its scale (repeats per texture-coordinate unit). A material has at most one
 * surface texture: {@code text}, drawn into a texture for {@link Pattern#TEXT}, or {@code baseColorMap}, an image
 * whose (linear-decoded) colour multiplies {@code albedo} (as glTF's base colour texture times its factor, and OBJ's
 * map_Kd times Kd). {@code alpha} (the base colour factor's alpha) times the map's alpha is tested against
 * {@code alphaCutoff}: fragments below it are cut out, as glTF's alphaMode MASK; a cutoff of 0 is opaque.
 */
public record Material(Vector3f albedo, float roughness, float metallic, Vector3f emissive, Pattern pattern,
        float patternScale, String text, ImageTexture baseColorMap, float alpha, float alphaCutoff) {

    /** An opaque material without a base-colour map. */
    public Material(Vector3f albedo, float roughness, float metallic, Vector3f emissive, Pattern pattern,
            float patternScale, String text) {
        this(albedo, roughness, metallic, emissive, pattern, patternScale, text, null, 1f, 0f);
    }

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
        return new Material(albedo, roughness, metallic, emissive, p, scale, text, baseColorMap, alpha, alphaCutoff);
    }

    public Material withText(String t, float scale) {
        return new Material(albedo, roughness, metallic, emissive, Pattern.TEXT, scale, t, null, alpha, alphaCutoff);
    }

    /** This material with a base-colour map (null: none), base alpha and alpha-test cutoff (0: opaque). */
    public Material withBaseColorMap(ImageTexture map, float baseAlpha, float cutoff) {
        return new Material(albedo, roughness, metallic, emissive, pattern, patternScale, null, map, baseAlpha, cutoff);
    }
}
