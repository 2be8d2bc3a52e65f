package org.reconview.nn.cuda;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.reconview.UserException;

/**
 * Where QW-Net's INT4 feature extractor runs ({@code --backend} of {@code eval} and {@code view}): {@code auto} (CUDA
 * where {@link CudaBackend#probe()} finds it usable, else GLSL, saying which once), {@code cuda}, {@code glsl} (the
 * compute shaders of {@code shaders/nn/int4_*.comp}), {@code cpu} (the golden {@link org.reconview.nn.QuantizedModel},
 * for tests only).
 */
public enum Backend {
    AUTO, CUDA, GLSL, CPU;

    /** The option's spelling. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choices as the option lists them: "auto, cuda, glsl, cpu". */
    public static String choices() {
        return Arrays.stream(values()).map(Backend::id).collect(Collectors.joining(", "));
    }

    /** Parses {@code option}'s value, refusing unknown names with one line listing the choices. */
    public static Backend parse(String option, String text) {
        try {
            return fromId(text);
        } catch (IllegalArgumentException e) {
            throw new UserException(option + ": " + e.getMessage());
        }
    }

    /** The backend spelt {@code text}; an {@link IllegalArgumentException} listing the choices if none. */
    public static Backend fromId(String text) {
        for (Backend b : values()) {
            if (b.id().equals(text)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + text + "' (choices: " + choices() + ")");
    }
}
