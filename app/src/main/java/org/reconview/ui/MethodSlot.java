package org.reconview.ui;

import org.reconview.gl.Texture2D;
import org.reconview.recon.Reconstructor;

/**
 * One method in the viewer: its reconstructor (or why it is not available), its latest output and its metric history
 * since the last reset (its previous output, which the temporal error needs, the viewer's SequenceMeasurer keeps).
 */
final class MethodSlot implements AutoCloseable {
    final String name;
    final Reconstructor reconstructor;
    final String unavailable;
    final MetricHistory history = new MetricHistory();
    Texture2D output;
    /** The source frame {@link #output} belongs to, or -1 (none yet). */
    int outputFrame = -1;
    double lastMs;
    /** CADyQ methods: the frame-sized bit map (MAC-weighted mean width per tile in .r), while a view shows it. */
    Texture2D bitMap;
    /**
     * The last maps of this method's metrics while a view shows them, by metric id: "ldr_flip" (a flip: view),
     * "ssim" (an ssim: view); the metric passes overwrite theirs with the next method's, so the slot keeps copies.
     */
    final java.util.Map<String, Texture2D> maps = new java.util.HashMap<>();

    MethodSlot(String name, Reconstructor reconstructor, String unavailable) {
        this.name = name;
        this.reconstructor = reconstructor;
        this.unavailable = unavailable;
    }

    /** A short note for the view's title: how a network's weights came to be. */
    String note() {
        String d = reconstructor == null ? null : reconstructor.shortDescription();
        return d == null ? "" : "  (" + d + ")";
    }

    boolean available() {
        return reconstructor != null;
    }

    /** Copies metric {@code id}'s map (the metric's, overwritten by the next method's) into {@link #maps}. */
    void keepMap(String id, Texture2D map) {
        if (map == null) {
            return;
        }
        Texture2D kept = maps.get(id);
        if (kept == null || kept.width() != map.width() || kept.height() != map.height()
                || kept.internalFormat() != map.internalFormat()) {
            if (kept != null) {
                kept.close();
            }
            kept = new Texture2D(map.width(), map.height(), map.internalFormat());
            maps.put(id, kept);
        }
        kept.copyFrom(map);
    }


    /**
     * Refreshes {@link #bitMap} from the reconstructor's last tile widths: per tile the MAC-weighted mean width over
     * the selected layers, repeated over the tile's pixels (the view fetches texels, so the tiles stay sharp).
     */
    void updateBitMap(int width, int height) {
        org.reconview.recon.NetworkReconstructor.TileBits t = reconstructor == null ? null : reconstructor.tileBits();
        if (t == null) {
            return;
        }
        if (bitMap == null || bitMap.width() != width || bitMap.height() != height) {
            if (bitMap != null) {
                bitMap.close();
            }
            bitMap = new Texture2D(width, height, Texture2D.RGBA32F);
        }
        float[] px = new float[width * height * 4];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int tile = Math.min(t.tilesY() - 1, y / t.tile()) * t.tilesX() + Math.min(t.tilesX() - 1, x / t.tile());
                int i = (y * width + x) * 4;
                px[i] = (float) t.meanBits()[tile];
                px[i + 3] = 1f;
            }
        }
        bitMap.upload(px, 4);
    }

    void reset() {
        if (reconstructor != null) {
            reconstructor.reset();
        }
        outputFrame = -1;
        history.clear();
    }

    @Override
    public void close() {
        if (reconstructor != null) {
            reconstructor.close();
        }
        maps.values().forEach(Texture2D::close);
        maps.clear();
        if (bitMap != null) {
            bitMap.close();
        }
    }
}
