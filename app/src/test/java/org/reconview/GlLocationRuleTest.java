package org.reconview;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture rule: OpenGL is called only in {@code gl/} (the wrappers) and in the passes (classes that own GL
 * programs and dispatch them: the network, metric, reconstruction, scene and view passes, and CUDA's GL interop).
 * Everything else (commands, eval, the viewer's logic, frame sources) goes through {@code gl/}'s classes. A source file
 * elsewhere that names {@code org.lwjgl.opengl} fails the build.
 */
class GlLocationRuleTest {
    /** Where GL may be used: package folders (ending in /) or single files, relative to org/reconview. */
    static final List<String> ALLOWED = List.of(
            "gl/",
            "nn/gl/",
            "nn/cuda/CudaOffload.java",
            "metrics/GpuMetrics.java",
            "metrics/GpuFlip.java",
            "recon/Taa.java",
            "recon/WarpPass.java",
            "recon/NetworkReconstructor.java",
            "scene/SceneRenderer.java",
            "scene/ReferenceAccumulator.java",
            "scene/TextTexture.java",
            "ui/ViewPainter.java");
    static final Pattern GL = Pattern.compile("org\\.lwjgl\\.opengl");

    static List<String> violations(Path root) throws IOException {
        List<String> bad = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                boolean allowed = ALLOWED.stream().anyMatch(a -> a.endsWith("/") ? rel.startsWith(a) : rel.equals(a));
                if (!allowed && GL.matcher(Files.readString(f)).find()) {
                    bad.add(rel);
                }
            }
        }
        return bad;
    }

    @Test
    void openGlStaysInsideGlAndThePasses() throws IOException {
        Path root = Path.of("src/main/java/org/reconview");
        assertTrue(Files.isDirectory(root), "run from the app module: " + root.toAbsolutePath());
        assertEquals(List.of(), violations(root), "GL outside gl/ and the passes");
    }

    @Test
    void theRuleCatchesAViolation(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("org/reconview");
        Files.createDirectories(root.resolve("eval"));
        Files.createDirectories(root.resolve("gl"));
        Files.writeString(root.resolve("eval/Leaky.java"), "import static org.lwjgl.opengl.GL45C.glFinish;\n");
        Files.writeString(root.resolve("gl/Fine.java"), "import static org.lwjgl.opengl.GL45C.glFinish;\n");
        Files.writeString(root.resolve("eval/Clean.java"), "import org.reconview.gl.WindowSurface;\n");
        assertEquals(List.of("eval/Leaky.java"), violations(root));
    }
}
