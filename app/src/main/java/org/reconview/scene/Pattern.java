package org.reconview.scene;

/** Procedural surface patterns of {@code shaders/scene/material.glsl}; the ordinal is the shader's pattern id. */
public enum Pattern {
    /** Plain albedo. */
    PLAIN,
    /** Checkerboard, box-filtered by its screen footprint (high frequency, but no worse than a mip-mapped texture). */
    CHECKER,
    /** Thin tile grout lines, unfiltered: a high-frequency texture that aliases. */
    TILES,
    /** A text texture (the material's text, drawn with stb_truetype), mip-mapped. */
    TEXT,
    /** Alpha-tested leaf silhouette inside each quad (foliage). */
    LEAF,
    /** Alpha-tested chain-link fence: sub-pixel wires on a diagonal grid. */
    FENCE,
    /** Fine wood-like stripes with a sharp specular: shading aliasing. */
    STRIPES
}
