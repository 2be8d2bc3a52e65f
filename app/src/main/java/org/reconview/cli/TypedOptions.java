package org.reconview.cli;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.cuda.Backend;
import org.reconview.ui.Layout;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value types of the command line, converted (and so checked) at parse time in every command alike: a bad value
 * ends as {@code reconview CMD: Invalid value for option '--X': WHAT IS WRONG (see --help)}, exit 2, before any work.
 * The candidate lists ({@code ${COMPLETION-CANDIDATES}} in the help) come from the types themselves.
 */
final class TypedOptions {
    private TypedOptions() {
    }

    static void register(CommandLine cl) {
        // An empty path (--out=) would mean the current folder: refuse it for every option and parameter.
        cl.registerConverter(Path.class, s -> {
            if (s.isBlank()) {
                throw new TypeConversionException("empty path");
            }
            return Path.of(s);
        });
        cl.registerConverter(Size.class, checked(Size::parse));
        cl.registerConverter(PixelRect.class, checked(PixelRect::parse));
        cl.registerConverter(BlockShape.class, checked(BlockShape::parse));
        cl.registerConverter(DisplayEncoding.class, checked(DisplayEncoding::fromId));
        cl.registerConverter(Layout.class, checked(Layout::parse));
        cl.registerConverter(Backend.class, checked(Backend::fromId));
        cl.registerConverter(NetworkSpec.class, checked(NetworkSpec::byVariant));
        cl.registerConverter(BenchCommand.What.class, checked(BenchCommand.What::parse));
    }

    /** A converter from a parse function that says what is wrong with an {@link IllegalArgumentException}. */
    static <T> ITypeConverter<T> checked(Function<String, T> parse) {
        return text -> {
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        };
    }

    /** {@code value} if it is one of {@code choices}; a {@link TypeConversionException} listing them if not. */
    static String oneOf(String value, String... choices) {
        if (!List.of(choices).contains(value)) {
            throw new TypeConversionException("unknown '" + value + "' (" + String.join(", ", choices) + ")");
        }
        return value;
    }

    /** Candidates for the help: {@code pq, srgb, linear}. */
    static final class Encodings implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DisplayEncoding.ids().iterator();
        }
    }

    /** Candidates for the help: {@code grid, solo, pair, strip, split}. */
    static final class Layouts implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Layout.ids().iterator();
        }
    }

    /** Candidates for the help: {@code auto, cuda, glsl, cpu}. */
    static final class Backends implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return java.util.Arrays.stream(Backend.values()).map(Backend::id).iterator();
        }
    }

    /** Candidates for the help: the network variants a weights file or a training run can have. */
    static final class Variants implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("qwnet", "qwnet-r", "unet").iterator();
        }
    }
}
