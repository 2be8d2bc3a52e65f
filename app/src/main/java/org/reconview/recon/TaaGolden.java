package org.reconview.recon;

import org.reconview.io.FloatImage;

/**
 * The CPU golden version of {@code shaders/recon/taa.comp}, step for step and in float arithmetic, so that the GLSL
 * pass can be checked on random and rendered data. Slow; used by tests only. See the shader for the algorithm.
 */
public final class TaaGolden {
    private TaaGolden() {
    }

    /** One TAA step; {@code history} null means no history (first frame, cut, reset). Returns RGBA, alpha 1. */
    public static FloatImage step(FloatImage color, FloatImage motion, FloatImage depth, FloatImage history,
            Taa.Settings s) {
        int w = color.width;
        int h = color.height;
        FloatImage out = new FloatImage(w, h, 4);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float[] current = sanitize(rgb(color, x, y));
                float[] result = current;
                if (history != null) {
                    result = blendWithHistory(color, motion, depth, history, s, x, y, current);
                }
                out.set(x, y, 0, result[0]);
                out.set(x, y, 1, result[1]);
                out.set(x, y, 2, result[2]);
                out.set(x, y, 3, 1f);
            }
        }
        return out;
    }

    private static float[] blendWithHistory(FloatImage color, FloatImage motion, FloatImage depth,
            FloatImage history, Taa.Settings s, int x, int y, float[] current) {
        int w = color.width;
        int h = color.height;
        float mx = motion.get(x, y, 0);
        float my = motion.get(x, y, 1);
        if (s.dilate()) {
            float nearest = depth.get(x, y, 0);
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int qx = clamp(x + dx, w);
                    int qy = clamp(y + dy, h);
                    float d = depth.get(qx, qy, 0);
                    if (d < nearest) {
                        nearest = d;
                        mx = motion.get(qx, qy, 0);
                        my = motion.get(qx, qy, 1);
                    }
                }
            }
        }
        float ux = x + mx;
        float uy = y + my;
        boolean finite = Float.isFinite(mx) && Float.isFinite(my);
        if (!finite || !(ux >= -0.5f && ux <= w - 0.5f && uy >= -0.5f && uy <= h - 0.5f)) {
            return current;
        }
        float[] hist = sanitize(s.history() == Taa.HistoryFilter.CATMULL_ROM ? catmullRom(history, ux, uy)
                : bilinear(history, ux, uy));
        float[] m1 = new float[3];
        float[] m2 = new float[3];
        float[] lo = {1e30f, 1e30f, 1e30f};
        float[] hi = {-1e30f, -1e30f, -1e30f};
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                float[] n = toYCoCg(toneMap(sanitize(rgb(color, clamp(x + dx, w), clamp(y + dy, h)))));
                for (int c = 0; c < 3; c++) {
                    m1[c] += n[c];
                    m2[c] += n[c] * n[c];
                    lo[c] = Math.min(lo[c], n[c]);
                    hi[c] = Math.max(hi[c], n[c]);
                }
            }
        }
        float[] cur = toYCoCg(toneMap(current));
        float[] hy = toYCoCg(toneMap(hist));
        if (s.clip() == Taa.Clip.CLAMP) {
            for (int c = 0; c < 3; c++) {
                hy[c] = Math.min(Math.max(hy[c], lo[c]), hi[c]);
            }
        } else if (s.clip() == Taa.Clip.VARIANCE) {
            float[] boxLo = new float[3];
            float[] boxHi = new float[3];
            for (int c = 0; c < 3; c++) {
                float mean = m1[c] / 9f;
                float sigma = (float) Math.sqrt(Math.max(m2[c] / 9f - mean * mean, 0f));
                boxLo[c] = mean - s.gamma() * sigma;
                boxHi[c] = mean + s.gamma() * sigma;
            }
            hy = clipToBox(hy, boxLo, boxHi);
        }
        float alpha = s.alpha();
        if (s.antiFlicker()) {
            float distToEdge = Math.min(Math.abs(lo[0] - hy[0]), Math.abs(hi[0] - hy[0]));
            float inside = Math.min(Math.max(distToEdge / (0.5f * (hi[0] - lo[0]) + 1e-7f), 0f), 1f);
            alpha = s.alpha() * (0.25f + 0.75f * inside);
        }
        float[] mixed = new float[3];
        for (int c = 0; c < 3; c++) {
            mixed[c] = hy[c] * (1 - alpha) + cur[c] * alpha;
        }
        return sanitize(toneUnmap(fromYCoCg(mixed)));
    }

    static float[] rgb(FloatImage img, int x, int y) {
        return new float[] {img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)};
    }

    static float[] sanitize(float[] c) {
        for (float v : c) {
            if (!Float.isFinite(v)) {
                return new float[3];
            }
        }
        return new float[] {Math.max(c[0], 0f), Math.max(c[1], 0f), Math.max(c[2], 0f)};
    }

    static float[] toneMap(float[] c) {
        float d = 1f + Math.max(c[0], Math.max(c[1], c[2]));
        return new float[] {c[0] / d, c[1] / d, c[2] / d};
    }

    static float[] toneUnmap(float[] t) {
        float d = Math.max(1f - Math.max(t[0], Math.max(t[1], t[2])), 1e-6f);
        return new float[] {t[0] / d, t[1] / d, t[2] / d};
    }

    static float[] toYCoCg(float[] c) {
        return new float[] {0.25f * c[0] + 0.5f * c[1] + 0.25f * c[2], 0.5f * c[0] - 0.5f * c[2],
            -0.25f * c[0] + 0.5f * c[1] - 0.25f * c[2]};
    }

    static float[] fromYCoCg(float[] y) {
        return new float[] {y[0] + y[1] - y[2], y[0] + y[2], y[0] - y[1] - y[2]};
    }

    static float[] clipToBox(float[] q, float[] lo, float[] hi) {
        float[] centre = new float[3];
        float[] v = new float[3];
        float m = 0;
        for (int c = 0; c < 3; c++) {
            centre[c] = 0.5f * (hi[c] + lo[c]);
            float extent = 0.5f * (hi[c] - lo[c]) + 1e-7f;
            v[c] = q[c] - centre[c];
            m = Math.max(m, Math.abs(v[c] / extent));
        }
        if (m <= 1f) {
            return q;
        }
        return new float[] {centre[0] + v[0] / m, centre[1] + v[1] / m, centre[2] + v[2] / m};
    }

    static int clamp(int i, int n) {
        return Math.max(0, Math.min(n - 1, i));
    }

    static float[] bilinear(FloatImage img, float ux, float uy) {
        int x0 = (int) Math.floor(ux);
        int y0 = (int) Math.floor(uy);
        float fx = ux - x0;
        float fy = uy - y0;
        float[] out = new float[3];
        for (int c = 0; c < 3; c++) {
            float a = img.get(clamp(x0, img.width), clamp(y0, img.height), c);
            float b = img.get(clamp(x0 + 1, img.width), clamp(y0, img.height), c);
            float d = img.get(clamp(x0, img.width), clamp(y0 + 1, img.height), c);
            float e = img.get(clamp(x0 + 1, img.width), clamp(y0 + 1, img.height), c);
            float top = a + (b - a) * fx;
            float bottom = d + (e - d) * fx;
            out[c] = top + (bottom - top) * fy;
        }
        return out;
    }

    static float[] catmullRomWeights(float t) {
        float t2 = t * t;
        float t3 = t2 * t;
        return new float[] {-0.5f * t3 + t2 - 0.5f * t, 1.5f * t3 - 2.5f * t2 + 1f, -1.5f * t3 + 2f * t2 + 0.5f * t,
            0.5f * t3 - 0.5f * t2};
    }

    static float[] catmullRom(FloatImage img, float ux, float uy) {
        int x0 = (int) Math.floor(ux);
        int y0 = (int) Math.floor(uy);
        float[] wx = catmullRomWeights(ux - x0);
        float[] wy = catmullRomWeights(uy - y0);
        float[] sum = new float[3];
        for (int j = 0; j < 4; j++) {
            float[] row = new float[3];
            for (int i = 0; i < 4; i++) {
                int px = clamp(x0 + i - 1, img.width);
                int py = clamp(y0 + j - 1, img.height);
                for (int c = 0; c < 3; c++) {
                    row[c] += wx[i] * img.get(px, py, c);
                }
            }
            for (int c = 0; c < 3; c++) {
                sum[c] += wy[j] * row[c];
            }
        }
        return sum;
    }
}
