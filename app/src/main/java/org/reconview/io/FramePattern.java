package org.reconview.io;

import org.reconview.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A file-name pattern with one frame number in it, relative to a sequence folder: printf style ({@code %04d},
 * {@code %d}: {@code %04d.color.exr}) or a run of {@code #} ({@code beauty.####.exr}: four digits, zero-padded, more
 * when the number needs them), as Nuke, Houdini and most compositors spell sequences. The pattern may name
 * sub-folders ({@code aov/mv.####.exr}) but stays inside the folder: absolute paths and {@code ..} are refused.
 */
public final class FramePattern {
    private static final Pattern PRINTF = Pattern.compile("%(0[1-9][0-9]?)?d");
    private static final Pattern HASHES = Pattern.compile("#+");

    private final String text;
    private final String prefix;
    private final String suffix;
    private final int digits;

    private FramePattern(String text, String prefix, String suffix, int digits) {
        this.text = text;
        this.prefix = prefix;
        this.suffix = suffix;
        this.digits = digits;
    }

    /** Parses {@code text}; a bad pattern is a {@link UserException} "{@code where}: pattern 'x' problem". */
    public static FramePattern parse(String where, String text) {
        if (text == null || text.isBlank()) {
            throw new UserException(where + ": empty pattern");
        }
        String bad = problem(text);
        if (bad != null) {
            throw new UserException(where + ": pattern '" + text + "' " + bad);
        }
        Matcher p = PRINTF.matcher(text);
        if (p.find()) {
            int digits = p.group(1) == null ? 1 : Integer.parseInt(p.group(1).substring(1));
            return new FramePattern(text, text.substring(0, p.start()), text.substring(p.end()), digits);
        }
        Matcher h = HASHES.matcher(text);
        h.find();
        return new FramePattern(text, text.substring(0, h.start()), text.substring(h.end()), h.end() - h.start());
    }

    private static String problem(String text) {
        int printf = (int) PRINTF.matcher(text).results().count();
        int hashes = (int) HASHES.matcher(text).results().count();
        if (PRINTF.matcher(text).replaceAll("").contains("%")) {
            return "has a '%' that is not %d or %0Nd";
        }
        if (printf + hashes == 0) {
            return "has no frame number (%04d or ####)";
        }
        if (printf + hashes > 1) {
            return "has more than one frame number";
        }
        String slashed = text.replace('\\', '/');
        if (slashed.startsWith("/") || slashed.matches("^[A-Za-z]:/.*")) {
            return "is absolute (it is relative to the sequence folder)";
        }
        for (String segment : slashed.split("/")) {
            if (segment.equals("..")) {
                return "leaves the sequence folder ('..')";
            }
        }
        if (text.chars().anyMatch(c -> c < 32)) {
            return "has a control character";
        }
        return null;
    }

    /** The file name of frame number {@code number}: the digits zero-padded to the pattern's width. */
    public String format(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("frame number " + number);
        }
        return prefix + String.format(Locale.ROOT, "%0" + digits + "d", number) + suffix;
    }

    /**
     * The frame numbers whose files exist in {@code dir}, ascending, found by listing the folder the pattern's
     * file names lie in (the number must be in the last path segment; otherwise numbers 0 .. 9 are probed).
     */
    public List<Long> numbersIn(Path dir) {
        List<Long> found = new ArrayList<>();
        int slash = prefix.lastIndexOf('/');
        if (suffix.contains("/")) {
            for (long n = 0; n < 10; n++) {
                if (Files.isRegularFile(dir.resolve(format(n)))) {
                    found.add(n);
                }
            }
            return found;
        }
        Path folder = slash < 0 ? dir : dir.resolve(prefix.substring(0, slash));
        String head = prefix.substring(slash + 1);
        Pattern name = Pattern.compile(Pattern.quote(head) + "([0-9]{" + digits + ",18})" + Pattern.quote(suffix));
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(f -> {
                Matcher m = name.matcher(f.getFileName().toString());
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    // Only names this pattern writes (0001 for ####, not 00001).
                    if (format(n).substring(slash + 1).equals(m.group())) {
                        found.add(n);
                    }
                }
            });
        } catch (IOException e) {
            throw new UserException(folder + ": cannot list (" + FileIo.reason(e) + ")");
        }
        found.sort(null);
        return found;
    }

    @Override
    public String toString() {
        return text;
    }
}
