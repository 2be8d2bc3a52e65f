package org.reconview.recon;

import static org.lwjgl.opengl.GL45C.*;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.reconview.UserException;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.Texture2D;
import org.reconview.source.Frame;

/**
 * Temporal antialiasing as shipped engines do it: dilated motion, Catmull-Rom history reprojection, variance clipping
 * in YCoCg (Salvi 2016) and a luminance-weighted, anti-flicker blend (Karis 2014). The pass is
 * {@code shaders/recon/taa.comp}; {@link TaaGolden} is its Java twin for tests. History is two ping-pong textures,
 * allocated for the frame size and cleared on a cut or {@link #reset()}.
 */
public final class Taa implements Reconstructor {
    public enum Clip { NONE, CLAMP, VARIANCE }

    public enum HistoryFilter { BILINEAR, CATMULL_ROM }

    /** The controls, with Falcor-like defaults. */
    public record Settings(float alpha, Clip clip, float gamma, HistoryFilter history, boolean dilate,
            boolean antiFlicker) {
        public static final Settings DEFAULT = new Settings(0.1f, Clip.VARIANCE, 1.0f, HistoryFilter.CATMULL_ROM, true,
                true);

        public Settings {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new UserException("taa alpha: " + alpha + " must lie in (0, 1]");
            }
            if (!(gamma > 0)) {
                throw new UserException("taa gamma: " + gamma + " must be positive");
            }
        }

        /** As "alpha=0.1,clip=variance,gamma=1,history=catmull-rom,dilate=true,anti-flicker=true". */
        @Override
        public String toString() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("alpha", Float.toString(alpha));
            m.put("clip", clip.name().toLowerCase(Locale.ROOT));
            m.put("gamma", Float.toString(gamma));
            m.put("history", history.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            m.put("dilate", Boolean.toString(dilate));
            m.put("anti-flicker", Boolean.toString(antiFlicker));
            StringBuilder sb = new StringBuilder();
            m.forEach((k, v) -> sb.append(sb.length() > 0 ? "," : "").append(k).append('=').append(v));
            return sb.toString();
        }

        /** Parses {@link #toString()}'s form; keys left out keep their defaults. */
        public static Settings parse(String text) {
            Settings s = DEFAULT;
            if (text == null || text.isBlank()) {
                return s;
            }
            for (String pair : text.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new UserException("--taa: '" + pair + "' is not key=value");
                }
                String k = kv[0].trim();
                String v = kv[1].trim().toLowerCase(Locale.ROOT);
                try {
                    s = switch (k) {
                        case "alpha" -> new Settings(Float.parseFloat(v), s.clip, s.gamma, s.history, s.dilate,
                                s.antiFlicker);
                        case "clip" -> new Settings(s.alpha, Clip.valueOf(v.toUpperCase(Locale.ROOT)), s.gamma,
                                s.history, s.dilate, s.antiFlicker);
                        case "gamma" -> new Settings(s.alpha, s.clip, Float.parseFloat(v), s.history, s.dilate,
                                s.antiFlicker);
                        case "history" -> new Settings(s.alpha, s.clip, s.gamma,
                                HistoryFilter.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_')), s.dilate,
                                s.antiFlicker);
                        case "dilate" -> new Settings(s.alpha, s.clip, s.gamma, s.history, bool(k, v),
                                s.antiFlicker);
                        case "anti-flicker" -> new Settings(s.alpha, s.clip, s.gamma, s.history, s.dilate,
                                bool(k, v));
                        default -> throw new UserException("--taa: unknown setting '" + k
                                + "' (alpha, clip, gamma, history, dilate, anti-flicker)");
                    };
                } catch (IllegalArgumentException e) {
                    throw new UserException("--taa: bad value '" + kv[1].trim() + "' for " + k);
                }
            }
            return s;
        }

        private static boolean bool(String key, String v) {
            if (!v.equals("true") && !v.equals("false")) {
                throw new UserException("--taa: " + key + " must be true or false, not '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }
    }

    private final ShaderProgram program = ShaderProgram.compute("recon/taa.comp", Map.of());
    private Settings settings;
    private Texture2D[] history = new Texture2D[0];
    private int current;
    private boolean hasHistory;

    public Taa(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "taa";
    }

    public Settings settings() {
        return settings;
    }

    /** Changes the controls; the history is kept (the UI tweaks them live). */
    public void setSettings(Settings s) {
        settings = s;
    }

    /** The controls of {@link Settings}, changed live (the history is kept). */
    @Override
    public void drawUi(Widgets ui) {
        Settings t = settings;
        ui.text("taa");
        float alpha = ui.slider("alpha", t.alpha(), 0.01f, 1f);
        int clip = ui.combo("clip", t.clip().ordinal(), labels(Clip.values()));
        float gamma = ui.slider("gamma", t.gamma(), 0.25f, 3f);
        int history = ui.combo("history", t.history().ordinal(), labels(HistoryFilter.values()));
        boolean dilate = ui.checkbox("dilate motion", t.dilate());
        ui.sameLine();
        boolean flicker = ui.checkbox("anti-flicker", t.antiFlicker());
        Settings next = new Settings(Math.max(0.01f, Math.min(1f, alpha)), Clip.values()[clip],
                Math.max(0.25f, Math.min(3f, gamma)), HistoryFilter.values()[history], dilate, flicker);
        if (!next.equals(t)) {
            settings = next;
        }
    }

    /** "catmull-rom" for CATMULL_ROM: the spelling of --taa's values. */
    private static String[] labels(Enum<?>[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
        return out;
    }

    @Override
    public Texture2D reconstruct(Frame frame) {
        ensureSize(frame.width(), frame.height());
        boolean useHistory = hasHistory && !frame.cut();
        Texture2D previous = history[current];
        Texture2D out = history[1 - current];
        program.use().setInt2("uSize", frame.width(), frame.height()).set("uHasHistory", useHistory)
                .set("uAlpha", settings.alpha).set("uClip", settings.clip.ordinal()).set("uGamma", settings.gamma)
                .set("uHistoryFilter", settings.history.ordinal()).set("uDilate", settings.dilate)
                .set("uAntiFlicker", settings.antiFlicker);
        frame.color().bind(0);
        frame.motion().bind(1);
        frame.depth().bind(2);
        previous.bind(3);
        glBindImageTexture(0, out.id(), 0, false, 0, GL_WRITE_ONLY, GL_RGBA32F);
        glDispatchCompute((frame.width() + 7) / 8, (frame.height() + 7) / 8, 1);
        glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT | GL_SHADER_IMAGE_ACCESS_BARRIER_BIT
                | GL_TEXTURE_UPDATE_BARRIER_BIT | GL_FRAMEBUFFER_BARRIER_BIT);
        current = 1 - current;
        hasHistory = true;
        return out;
    }

    private void ensureSize(int w, int h) {
        if (history.length == 2 && history[0].width() == w && history[0].height() == h) {
            return;
        }
        for (Texture2D t : history) {
            t.close();
        }
        history = new Texture2D[] {new Texture2D(w, h, GL_RGBA32F), new Texture2D(w, h, GL_RGBA32F)};
        hasHistory = false;
    }

    @Override
    public void reset() {
        hasHistory = false;
    }

    @Override
    public void close() {
        for (Texture2D t : history) {
            t.close();
        }
        program.close();
    }
}
