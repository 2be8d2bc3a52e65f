package org.reconview.recon;

/**
 * The controls a method may draw in the viewer's panel, without the UI library (Falcor's passes get a Gui::Widgets the
 * same way): each call shows one control with its current value and returns the value after this frame's input. The
 * viewer implements it with ImGui; tests script it.
 */
public interface Widgets {
    /** A line of text. */
    void text(String text);

    /** A float slider over [lo, hi]. */
    float slider(String label, float value, float lo, float hi);

    /** A drop-down of {@code items}; returns the chosen index. */
    int combo(String label, int index, String[] items);

    boolean checkbox(String label, boolean value);

    /** The next control on the same line. */
    void sameLine();
}
