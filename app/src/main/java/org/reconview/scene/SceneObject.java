package org.reconview.scene;

/**
 * A mesh with one material and an animation. {@code wind} (metres) sways vertices with height above the object's
 * origin, as foliage does; the vertex shader evaluates it at the current and the previous time, so motion vectors
 * include it.
 */
public record SceneObject(String name, MeshBuilder mesh, Material material, Animation animation, float wind) {
    public static SceneObject fixed(String name, MeshBuilder mesh, Material material) {
        return new SceneObject(name, mesh, material, Animation.fixed(), 0f);
    }
}
