package org.reconview.color;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.opengl.GL45C.*;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lwjgl.system.MemoryUtil;
import org.reconview.GlTest;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.StorageBuffer;

/** The GLSL PQ curve (shaders/common/pq.glsl) against the Java definition, on random HDR values. */
class PqGlslTest {
    @Test
    void glslEncodeAndDecodeMatchJava() {
        GlTest.context();
        int n = 4096;
        Random rnd = new Random(7);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 4 == 0 ? rnd.nextFloat() : (float) Math.pow(10, -5 + 7 * rnd.nextDouble()) - 1e-5f;
        }
        values[0] = 0;
        values[1] = -1;
        values[2] = 10;
        values[3] = 5000;
        try (ShaderProgram p = ShaderProgram.compute("common/pq_test.comp", Map.of());
                StorageBuffer in = new StorageBuffer(values);
                StorageBuffer out = new StorageBuffer(new float[2 * n])) {
            in.bind(0);
            out.bind(1);
            p.use().set("uCount", n);
            glDispatchCompute((n + 63) / 64, 1, 1);
            glMemoryBarrier(GL_ALL_BARRIER_BITS);
            float[] results = out.read(2 * n);
            for (int i = 0; i < n; i++) {
                float v = values[i];
                double enc = Pq.encode(v);
                double dec = Pq.decode(Math.min(Math.max(v, 0f), 1f));
                // float32 pow with exponent m2 = 78.8 amplifies rounding; 5e-5 is 1/20 of a 10-bit code step.
                assertEquals(enc, results[2 * i], 5e-5, "encode " + v);
                // float32 pow with exponent 1/m1 = 6.3 amplifies rounding: 1e-4 relative is what float can promise here.
                assertEquals(dec, results[2 * i + 1], 1e-4 * Math.max(1, dec), "decode " + v);
            }
        }
    }
}
