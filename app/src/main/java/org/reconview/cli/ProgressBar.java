package org.reconview.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on the command's error stream: done/total, rate and time left. On a terminal it redraws in place; otherwise
 * (logs, CI) it prints a line at every tenth of the work.
 */
final class ProgressBar {
    private final String label;
    private final int total;
    private final String unit;
    private final long start = System.nanoTime();
    private final PrintWriter out;
    private final boolean terminal;
    private int lastTenth = -1;

    ProgressBar(PrintWriter out, String label, int total, String unit) {
        this.out = out;
        this.terminal = System.console() != null;
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    void update(int done) {
        update(done, "");
    }

    /** As {@link #update(int)}, with a short status (e.g. the current loss) after the rate. */
    void update(int done, String status) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        double eta = done > 0 ? (total - done) / rate : 0;
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        String line = String.format(java.util.Locale.ROOT, "%s [%s%s] %d/%d %s  %.2f %s/s  ETA %s%s", label, "#".repeat(filled),
                " ".repeat(width - filled), done, total, unit, rate, unit, formatTime(eta),
                status.isEmpty() ? "" : "  " + status);
        if (terminal) {
            out.print("\r" + line + (done == total ? "\n" : ""));
            out.flush();
        } else {
            int tenth = total == 0 ? 10 : (int) (10L * done / total);
            if (tenth != lastTenth) {
                lastTenth = tenth;
                out.println(line);
            }
        }
    }

    static String formatTime(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60) : String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
