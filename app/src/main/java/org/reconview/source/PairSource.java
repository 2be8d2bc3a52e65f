package org.reconview.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.reconview.UserException;
import org.reconview.gl.Texture2D;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;

/**
 * Two images, or two folders of images, to compare (tev's A/B): frame k's colour is A's k-th image and its reference
 * B's, so the viewer's input view shows A, its reference view B, and the metrics, error and difference views measure
 * A against B. A folder's images are its {@code *.exr} files in name order (e.g. {@code eval --save-exr}'s
 * {@code exr/METHOD/}); a sequence folder's {@code NNNN.color.exr}. No motion is known, so every frame is a cut (no
 * temporal metric compares unrelated frames); depth is zero.
 */
public final class PairSource implements FrameSource {
    private final List<Path> a;
    private final List<Path> b;
    private final String name;
    private final int width;
    private final int height;
    private final Texture2D color;
    private final Texture2D reference;
    private final Texture2D motion;
    private final Texture2D depth;

    public PairSource(Path a, Path b) {
        List<List<Path>> pairs = pairs(a, b);
        this.a = pairs.get(0);
        this.b = pairs.get(1);
        FloatImage first = read(this.a.get(0));
        FloatImage firstB = read(this.b.get(0));
        if (first.width != firstB.width || first.height != firstB.height) {
            throw new UserException(this.b.get(0) + ": " + firstB.width + "x" + firstB.height + ", but "
                    + this.a.get(0) + " is " + first.width + "x" + first.height);
        }
        width = first.width;
        height = first.height;
        name = a.getFileName() + " vs " + b.getFileName();
        color = new Texture2D(width, height, Texture2D.RGBA32F);
        reference = new Texture2D(width, height, Texture2D.RGBA32F);
        motion = new Texture2D(width, height, Texture2D.RG32F);
        depth = new Texture2D(width, height, Texture2D.R32F);
        motion.upload(new float[width * height * 2], 2);
        depth.upload(new float[width * height], 1);
    }

    /** A's and B's images ({@link #images}), refused unless they are as many. */
    public static List<List<Path>> pairs(Path a, Path b) {
        List<Path> as = images(a);
        List<Path> bs = images(b);
        if (as.size() != bs.size()) {
            throw new UserException(a + " and " + b + ": " + as.size() + " and " + bs.size()
                    + " images; a comparison needs the same number");
        }
        return List.of(as, bs);
    }

    /** The images a path names: the file itself, or a folder's EXR files in name order (a sequence's colour files). */
    public static List<Path> images(Path p) {
        if (Files.isRegularFile(p)) {
            return List.of(p);
        }
        if (!Files.isDirectory(p)) {
            throw new UserException(p + ": not found");
        }
        try (Stream<Path> s = Files.list(p)) {
            List<Path> all = s.filter(f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                    .endsWith(".exr")).sorted().toList();
            List<Path> colour = all.stream().filter(f -> f.getFileName().toString().endsWith(".color.exr")).toList();
            List<Path> out = colour.isEmpty() ? all : colour;
            if (out.isEmpty()) {
                throw new UserException(p + ": no .exr files");
            }
            return out;
        } catch (IOException e) {
            throw new UserException(p + ": cannot list (" + e.getMessage() + ")");
        }
    }

    private static FloatImage read(Path file) {
        return ExrImages.readWithOptional(file, "A", 1f, "R", "G", "B");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int frameCount() {
        return a.size();
    }

    @Override
    public Frame frame(int index) {
        FloatImage ia = read(a.get(index));
        FloatImage ib = read(b.get(index));
        for (Object[] f : new Object[][] {{a.get(index), ia}, {b.get(index), ib}}) {
            FloatImage img = (FloatImage) f[1];
            if (img.width != width || img.height != height) {
                throw new UserException(f[0] + ": " + img.width + "x" + img.height + ", but the comparison is "
                        + width + "x" + height);
            }
        }
        color.upload(ia.data, 4);
        reference.upload(ib.data, 4);
        return new Frame(index, index / 30.0, 0f, 0f, true, color, motion, depth, reference);
    }

    @Override
    public void close() {
        color.close();
        reference.close();
        motion.close();
        depth.close();
    }
}
