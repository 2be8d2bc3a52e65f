package org.reconview.cli;

import picocli.CommandLine.Option;

/**
 * {@code --size <WxH>}: the size frames are rendered at, the same option in every command that renders (a picocli
 * mixin; its default is the instance's initial value, 256x256 everywhere).
 */
final class SizeOption {
    static final Size DEFAULT = new Size(256, 256);

    @Option(names = "--size", paramLabel = "<WxH>",
            description = "render size in pixels, " + Size.MIN + " to " + Size.MAX + " a side (default: ${DEFAULT-VALUE})")
    Size size = DEFAULT;
}
