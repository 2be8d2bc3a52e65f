package org.reconview.ui;

import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.TemporalProfile;

/**
 * Everything the user can set in the viewer, in one place: the panel and the keyboard change it, the frame loop and
 * the view painter read it. View contents are named: a method ("taa", "input", "reference", ...), "motion", or
 * "error:METHOD" for the error map of a method against the reference, "flip:METHOD" for its LDR-FLIP map, or
 * "bits:METHOD" for a CADyQ method's bit map.
 */
public final class ViewerState {
    public Layout layout = Layout.GRID;
    public final String[] views = {"taa", "unet", "qwnet", "reference"};
    /** Content shown by the solo layout. */
    public String solo = "taa";
    public String splitLeft = "input";
    public String splitRight = "taa";
    /** Split divider position across the main area, 0..1. */
    public float divider = 0.5f;

    public boolean playing = true;
    public boolean loop = true;
    public float speed = 1f;
    public int frameIndex;

    /** Window pixels per image pixel; {@link #fit} recomputes it to fit the view. */
    public float zoom = 1f;
    public boolean fit = true;
    public float panX = Float.NaN;
    public float panY = Float.NaN;

    public DisplayEncoding encoding = DisplayEncoding.PQ;
    public float exposure;
    public float errorScale = 0.1f;
    public boolean magnifier;
    /** Run and measure every available method each frame, not only those on screen (costly on a CPU rasteriser). */
    public boolean measureAll;
    /**
     * Spread each source frame's work over UI frames ({@link #sliceMs} each) instead of waiting for it: the UI keeps
     * answering while networks run; results and metrics are the same.
     */
    public boolean timeSlice = true;
    /** FLICKER: milliseconds each of the split's two contents is shown. */
    public int flickerMs = 500;
    /** Milliseconds of frame work per UI frame with {@link #timeSlice} (a step that starts in time runs to its end). */
    public double sliceMs = 15;
    /**
     * With {@link #timeSlice}: networks cut their convolutions into steps of about this many FP32 multiply-add
     * equivalents, so that one step fits well inside {@link #sliceMs}. The viewer sets it from the renderer
     * ({@link #stepMacsFor}); the results do not depend on it.
     */
    public long stepMacs = 1L << 30;

    /**
     * A step size for a renderer: about 5 ms of work on a CPU rasteriser (llvmpipe runs FP32 convs at 1-3 GMAC/s on
     * two cores), and large on a GPU, where a whole layer takes well under a millisecond and more dispatches would
     * only add overhead.
     */
    public static long stepMacsFor(String renderer) {
        String r = renderer == null ? "" : renderer.toLowerCase(java.util.Locale.ROOT);
        return r.contains("llvmpipe") || r.contains("softpipe") || r.contains("swrast") ? 1L << 23 : 1L << 30;
    }
    /** The per-frame metrics measured (FrameMetrics ids; the panel switches them). */
    public final java.util.Set<String> metrics = new java.util.LinkedHashSet<>(
            org.reconview.metrics.FrameMetrics.VIEWER_DEFAULT);
    public int magnifierZoom = 8;

    public TemporalProfile.Axis profileAxis = TemporalProfile.Axis.ROW;
    public int profileIndex = -1;

    /** Last error to show in the panel (bad folder, bad size), or null. */
    public String error;

    /**
     * Views for compare A B, where A is the input slot and B the reference: the layout's views show A and B (the
     * grid also A's error map and its signed difference against B); playback paused.
     */
    public void arrangeComparison(Layout layout) {
        this.layout = layout;
        splitLeft = "input";
        splitRight = "reference";
        solo = "input";
        views[0] = "input";
        views[1] = "reference";
        views[2] = "error:input";
        views[3] = "signed:input";
        playing = false;
    }

    /**
     * Every view content for these methods, in the order the panel offers them: each method, the motion vectors,
     * CADyQ methods' bit maps, then each method's error, relative-error, signed-difference, 1 - SSIM and FLIP map (not the reference's).
     */
    public static java.util.List<String> contents(java.util.List<String> methods) {
        java.util.List<String> c = new java.util.ArrayList<>(methods);
        c.add("motion");
        methods.stream().filter(n -> n.endsWith("-cadyq")).forEach(n -> c.add("bits:" + n));
        for (String kind : new String[] {"error:", "rel:", "signed:", "ssim:", "flip:"}) {
            methods.stream().filter(n -> !n.equals("reference")).forEach(n -> c.add(kind + n));
        }
        return c;
    }

    public static boolean isError(String content) {
        return content.startsWith("error:");
    }

    /** "bits:METHOD": CADyQ's per-tile bit map of a method (MAC-weighted mean width over its selected layers). */
    public static boolean isBits(String content) {
        return content.startsWith("bits:");
    }

    /**
     * "signed:METHOD": the method minus the reference on the display encoding, mean over R, G, B, on the diverging
     * CET-D1 over [-errorScale, errorScale] (red brighter than the reference, blue darker).
     */
    public static boolean isSigned(String content) {
        return content.startsWith("signed:");
    }

    /**
     * "rel:METHOD": the relative error of the linear values, mean over R, G, B of |method - reference| /
     * (|reference| + 0.01) (tev's; ErrorMaps' "rel"), magma over [0, errorScale].
     */
    public static boolean isRelative(String content) {
        return content.startsWith("rel:");
    }

    /** "ssim:METHOD": 1 - the method's SSIM map against the reference (magma over [0, 1]; no value on the border). */
    public static boolean isSsim(String content) {
        return content.startsWith("ssim:");
    }

    /** "flip:METHOD": a method's LDR-FLIP map against the reference (magma, FLIP's scale [0, 1]). */
    public static boolean isFlip(String content) {
        return content.startsWith("flip:");
    }

    public static String methodOf(String content) {
        return isRelative(content) ? content.substring("rel:".length())
                : isSsim(content) ? content.substring("ssim:".length())
                : isSigned(content) ? content.substring("signed:".length())
                : isFlip(content) ? content.substring("flip:".length())
                : isError(content) ? content.substring("error:".length())
                : isBits(content) ? content.substring("bits:".length()) : content;
    }
}
