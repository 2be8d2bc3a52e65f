package org.reconview.source;

import java.nio.file.Path;
import org.reconview.gl.Texture2D;
import org.reconview.io.FrameImages;
import org.reconview.io.SequenceFolder;
import org.reconview.io.SequenceInfo;

/**
 * Frames read from an EXR sequence folder (the layout {@code render} writes, or another renderer's frames described
 * by a sequence.json) and uploaded into the same texture formats as {@link LiveFrameSource}. Motion vectors are
 * converted to the canonical convention on reading. Frames without depth get zeros; without reference, none.
 */
public final class ExrSequenceSource implements FrameSource {
    private final SequenceFolder folder;
    private final Texture2D color;
    private final Texture2D motion;
    private final Texture2D depth;
    private final Texture2D reference;

    public ExrSequenceSource(Path dir) {
        folder = SequenceFolder.open(dir);
        SequenceInfo info = folder.info();
        color = new Texture2D(info.width, info.height, Texture2D.RGBA32F);
        motion = new Texture2D(info.width, info.height, Texture2D.RG32F);
        depth = new Texture2D(info.width, info.height, Texture2D.R32F);
        reference = info.hasReference ? new Texture2D(info.width, info.height, Texture2D.RGBA32F) : null;
    }

    public SequenceInfo info() {
        return folder.info();
    }

    @Override
    public String name() {
        Path name = folder.dir().toAbsolutePath().normalize().getFileName();
        return name == null ? "sequence" : name.toString();
    }

    @Override
    public int width() {
        return folder.info().width;
    }

    @Override
    public int height() {
        return folder.info().height;
    }

    @Override
    public int frameCount() {
        return folder.info().frames;
    }

    @Override
    public Frame frame(int index) {
        FrameImages f = folder.read(index);
        color.upload(f.color().data, 4);
        motion.upload(f.motion().data, 2);
        if (f.depth() != null) {
            depth.upload(f.depth().data, 1);
        } else {
            depth.upload(new float[width() * height()], 1);
        }
        if (reference != null && f.reference() != null) {
            reference.upload(f.reference().data, 4);
        }
        double time = index / folder.info().fps;
        return new Frame(index, time, f.jitterX(), f.jitterY(), f.cut(), color, motion, depth,
                f.reference() != null ? reference : null);
    }

    @Override
    public void close() {
        color.close();
        motion.close();
        depth.close();
        if (reference != null) {
            reference.close();
        }
    }
}
