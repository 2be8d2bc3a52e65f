package org.reconview;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.reconview.gl.GlContext;

/**
 * Fails any test during which the GL driver reported an error (the suite runs with -Dreconview.glStrict=true).
 * Registered for every test through JUnit's extension auto-detection (META-INF/services).
 */
public final class GlErrorCheck implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        List<String> errors = GlContext.takeErrors();
        if (!errors.isEmpty()) {
            throw new AssertionError("GL errors during " + context.getDisplayName() + ":\n  "
                    + String.join("\n  ", errors));
        }
    }
}
