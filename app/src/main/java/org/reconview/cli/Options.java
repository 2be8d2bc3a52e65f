package org.reconview.cli;

import java.util.Map;
import org.reconview.UserException;

/**
 * Range checks for numeric options, with one-line messages naming the option. Every count has an upper bound
 * ({@link #MAXIMA}), so that a typo such as {@code --spp 2000000000} is refused at once instead of running for ever.
 */
final class Options {
    /** The largest value each count option takes (sizes are bounded by {@link Size#MAX}). */
    static final Map<String, Long> MAXIMA = Map.ofEntries(
            Map.entry("--spp", 1L << 16),
            Map.entry("--frames", 100_000L),
            Map.entry("--start", 1_000_000L),
            Map.entry("--jitter-period", 4096L),
            Map.entry("--warmup", 100_000L),
            Map.entry("--steps", 10_000_000L),
            Map.entry("--batch", 1024L),
            Map.entry("--threads", 1024L),
            Map.entry("--checkpoint-every", 10_000_000L),
            Map.entry("--val-every", 10_000_000L),
            Map.entry("--lr-warmup", 10_000_000L),
            Map.entry("--warmup-frames", 1024L),
            Map.entry("--compare-every", 100_000L),
            Map.entry("--zoom", 64L),
            Map.entry("--stride-space", (long) Size.MAX),
            Map.entry("--stride-time", 100_000L),
            Map.entry("--viewer-frames", 10_000_000L),
            Map.entry("--eval-frames", 100_000L),
            Map.entry("--every", 10_000_000L));

    private Options() {
    }

    static void positive(String option, long value) {
        atLeast(option, value, 1);
    }

    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new UserException(option + ": " + value + " must be at least " + min);
        }
        Long max = MAXIMA.get(option);
        if (max != null && value > max) {
            throw new UserException(option + ": " + value + " is more than the largest allowed, " + max);
        }
    }
}
