package org.reconview.cli;

import picocli.CommandLine.Option;

/**
 * {@code --spp <N>}: samples per pixel of the supersampled reference, the same option in every command that renders
 * one (a picocli mixin). The default is 64 everywhere but in {@code view}, which renders its reference live every
 * frame and so takes 32 ({@link #SppOption(int)}; its help says why).
 */
final class SppOption {
    static final int DEFAULT = 64;

    @Option(names = "--spp", paramLabel = "<N>",
            description = "samples per pixel of the reference (Blackman-Harris filtered, accumulated in PQ); at most "
                    + "65536 (default: ${DEFAULT-VALUE})")
    int spp;

    SppOption() {
        this(DEFAULT);
    }

    SppOption(int initial) {
        spp = initial;
    }
}
