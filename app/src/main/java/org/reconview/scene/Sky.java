package org.reconview.scene;

import org.joml.Vector3f;

/**
 * The background seen where no geometry is: a vertical gradient from horizon to zenith and a sun disk in the
 * direction opposite to the main light's travel (intensity well above 1). Also gives the ambient term.
 */
public record Sky(Vector3f horizon, Vector3f zenith, Vector3f sunDirection, Vector3f sunColor, float sunSize) {
    public static Sky dusk() {
        return new Sky(new Vector3f(0.9f, 0.55f, 0.35f), new Vector3f(0.12f, 0.2f, 0.45f),
                new Vector3f(-0.6f, 0.25f, -0.75f).normalize(), new Vector3f(80f, 55f, 30f), 0.99996f);
    }

    public static Sky day() {
        return new Sky(new Vector3f(0.75f, 0.85f, 1.0f), new Vector3f(0.25f, 0.45f, 0.9f),
                new Vector3f(0.4f, 0.7f, -0.55f).normalize(), new Vector3f(120f, 110f, 90f), 0.99996f);
    }

    public static Sky night() {
        return new Sky(new Vector3f(0.01f, 0.012f, 0.02f), new Vector3f(0.002f, 0.003f, 0.008f),
                new Vector3f(0, 1, 0), new Vector3f(0), 1.0f);
    }
}
