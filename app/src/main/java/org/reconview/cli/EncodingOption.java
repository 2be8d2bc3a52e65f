package org.reconview.cli;

import org.reconview.metrics.DisplayEncoding;
import picocli.CommandLine.Option;

/** {@code --encoding <ENC>}: the encoding the metrics compare images in, as in every command that measures (a mixin). */
final class EncodingOption {
    @Option(names = "--encoding", defaultValue = "pq", paramLabel = "<ENC>",
            completionCandidates = TypedOptions.Encodings.class,
            description = "what the metrics compare, one of ${COMPLETION-CANDIDATES}: pq, SMPTE ST 2084 to 1000 nits; "
                    + "srgb, exposure 0, ACES fit tone map and sRGB, as the viewer shows it; linear, the values as "
                    + "given (they must lie in [0, 1]; not clamped) (default: ${DEFAULT-VALUE})")
    DisplayEncoding encoding;
}
