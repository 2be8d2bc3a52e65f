package org.reconview.scene;

import static org.lwjgl.opengl.GL45C.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.joml.Matrix4f;
import org.reconview.gl.Framebuffer;
import org.reconview.gl.FullscreenPass;
import org.reconview.gl.Mesh;
import org.reconview.gl.Scissor;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.StorageBuffer;
import org.reconview.gl.Texture2D;

/**
 * Draws a {@link Scene} at a time into a framebuffer whose attachments are colour (linear HDR), motion (pixels,
 * current to previous) and linear depth: sky first, then the objects with HDR forward shading
 * ({@code shaders/scene/}). The pass samples each pixel at a chosen sub-pixel offset, which is how the 1-spp frame
 * gets its jitter and the reference its samples. Nothing here depends on anything but the scene, the time and the
 * offset, so a frame renders the same every time. Each object's surface texture (its material's text, or its
 * base-colour map, uploaded once however many objects share the image) is bound to unit 1 for its draw.
 */
public final class SceneRenderer implements AutoCloseable {
    private final Scene scene;
    private final List<Mesh> meshes = new ArrayList<>();
    private final List<Texture2D> surfaceMaps = new ArrayList<>();   // per object; null: none
    private final StorageBuffer lights;
    private final ShaderProgram geometry;
    private final ShaderProgram sky;
    private final FullscreenPass fullscreen = new FullscreenPass();
    private final Texture2D blankMap = new Texture2D(1, 1, GL_R8);

    public SceneRenderer(Scene scene) {
        this.scene = scene;
        Map<ImageTexture, Texture2D> images = new IdentityHashMap<>();
        for (SceneObject o : scene.objects()) {
            meshes.add(new Mesh(o.mesh().vertices(), o.mesh().indices()));
            Material m = o.material();
            surfaceMaps.add(m.text() != null ? TextTexture.create(m.text())
                    : m.baseColorMap() != null ? images.computeIfAbsent(m.baseColorMap(), ImageTexture::upload)
                    : null);
        }
        float[] packed = new float[Math.max(1, scene.lights().size()) * Light.FLOATS];
        for (int i = 0; i < scene.lights().size(); i++) {
            scene.lights().get(i).pack(packed, i * Light.FLOATS);
        }
        lights = new StorageBuffer(packed);
        geometry = ShaderProgram.graphics("scene/scene.vert", "scene/scene.frag");
        sky = ShaderProgram.graphics("common/fullscreen.vert", "scene/sky.frag");
        blankMap.upload(new float[] {0f}, 1);
    }

    public Scene scene() {
        return scene;
    }

    /**
     * Renders the scene at time t (previous frame at tPrev, for motion) into fb, every pixel sampled at
     * (offsetX, offsetY) pixels from its centre (+y down).
     */
    public void render(Framebuffer fb, int width, int height, double t, double tPrev, float offsetX, float offsetY) {
        render(fb, width, height, t, tPrev, offsetX, offsetY, 0, height);
    }

    /**
     * {@link #render(Framebuffer, int, int, double, double, float, float)} of rows [rowStart, rowStart + rows) only
     * (counted from the bottom, as GL does; a scissor, so each pixel gets exactly the fragments of a whole render):
     * a render cut into strips, for callers that keep each step short.
     */
    public void render(Framebuffer fb, int width, int height, double t, double tPrev, float offsetX, float offsetY,
            int rowStart, int rows) {
        Scissor.rows(width, height, rowStart, rows, () -> renderWhole(fb, width, height, t, tPrev, offsetX, offsetY));
    }

    private void renderWhole(Framebuffer fb, int width, int height, double t, double tPrev, float offsetX,
            float offsetY) {
        float aspect = (float) width / height;
        CameraPose pose = scene.camera().at(t);
        CameraPose prevPose = scene.camera().at(tPrev);
        Matrix4f view = pose.view();
        Matrix4f viewProj = pose.viewProjection(aspect);
        Matrix4f prevViewProj = prevPose.viewProjection(aspect);

        fb.bind();
        fb.clearColor(0, 0, 0, 0, 1);
        fb.clearDepth(1f);
        glDisable(GL_BLEND);
        glDisable(GL_CULL_FACE);

        for (ShaderProgram p : new ShaderProgram[] {sky, geometry}) {
            p.set("uViewProj", viewProj).set("uPrevViewProj", prevViewProj).set("uView", view)
                    .set("uViewport", width, height).set("uSampleOffset", offsetX, offsetY)
                    .set("uCameraPos", pose.position().x, pose.position().y, pose.position().z)
                    .set("uTime", (float) t).set("uPrevTime", (float) tPrev);
        }

        // Sky: rotation-only matrices, so directions project like points at infinity.
        Matrix4f rot = new Matrix4f(view).setTranslation(0, 0, 0);
        Matrix4f prevRot = prevPose.view().setTranslation(0, 0, 0);
        Matrix4f vpRot = pose.projection(aspect).mul(rot);
        Matrix4f prevVpRot = prevPose.projection(aspect).mul(prevRot);
        Sky s = scene.sky();
        sky.use().set("uViewProjRotation", vpRot).set("uInvViewProjRotation", new Matrix4f(vpRot).invert())
                .set("uPrevViewProjRotation", prevVpRot)
                .set("uHorizon", s.horizon().x, s.horizon().y, s.horizon().z)
                .set("uZenith", s.zenith().x, s.zenith().y, s.zenith().z)
                .set("uSunDirection", s.sunDirection().x, s.sunDirection().y, s.sunDirection().z)
                .set("uSunColor", s.sunColor().x, s.sunColor().y, s.sunColor().z)
                .set("uSunCos", s.sunSize()).set("uFar", CameraPose.FAR);
        glDisable(GL_DEPTH_TEST);
        glDepthMask(false);
        fullscreen.draw();

        glEnable(GL_DEPTH_TEST);
        glDepthMask(true);
        glDepthFunc(GL_LESS);
        geometry.use().set("uLightCount", scene.lights().size())
                .set("uAmbientHorizon", 0.25f * s.horizon().x, 0.25f * s.horizon().y, 0.25f * s.horizon().z)
                .set("uAmbientZenith", 0.25f * s.zenith().x, 0.25f * s.zenith().y, 0.25f * s.zenith().z);
        lights.bind(0);
        for (int i = 0; i < meshes.size(); i++) {
            SceneObject o = scene.objects().get(i);
            Material m = o.material();
            geometry.set("uModel", o.animation().at(t)).set("uPrevModel", o.animation().at(tPrev))
                    .set("uWind", o.wind())
                    .set("uAlbedo", m.albedo().x, m.albedo().y, m.albedo().z)
                    .set("uRoughness", m.roughness()).set("uMetallic", m.metallic())
                    .set("uEmissive", m.emissive().x, m.emissive().y, m.emissive().z)
                    .set("uPattern", m.pattern().ordinal()).set("uPatternScale", m.patternScale())
                    .set("uBaseColorMap", m.text() == null && m.baseColorMap() != null)
                    .set("uAlpha", m.alpha()).set("uAlphaCutoff", m.alphaCutoff());
            (surfaceMaps.get(i) != null ? surfaceMaps.get(i) : blankMap).bind(1);
            meshes.get(i).draw();
        }
    }

    /** Triangles drawn per pass (for bench output). */
    public long triangles() {
        return meshes.stream().mapToLong(Mesh::triangles).sum();
    }

    @Override
    public void close() {
        meshes.forEach(Mesh::close);
        Set<Texture2D> maps = Collections.newSetFromMap(new IdentityHashMap<>());
        surfaceMaps.stream().filter(t -> t != null).forEach(maps::add);
        maps.forEach(Texture2D::close);
        lights.close();
        geometry.close();
        sky.close();
        fullscreen.close();
        blankMap.close();
    }
}
