package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;

/** Validation-based selection on a known curve: what is written last is the best step's weights. */
class BestCheckpointTest {
    @Test
    void keepsTheStepWithTheBestValidationScore() {
        double[] curve = {30.1, 31.5, 31.2, 32.8, 32.7, 32.8, 31.0};
        List<Integer> written = new ArrayList<>();
        Weights[] last = {null};
        BestCheckpoint b = BestCheckpoint.empty(w -> {
            last[0] = w;
            written.add(Integer.parseInt(w.metadata().get("steps")));
        });
        Weights base = Weights.random(NetworkSpec.unet(), 0);
        for (int i = 0; i < curve.length; i++) {
            int step = i * 100;
            b.offer(step, curve[i], () -> base.withMetadata(Map.of("steps", Integer.toString(step))));
        }
        assertEquals(List.of(0, 100, 300), written, "written only on improvement (a tie does not replace)");
        assertEquals(300, b.bestStep());
        assertEquals(32.8, b.best());
        assertEquals("300", last[0].metadata().get("steps"));
        assertFalse(b.offer(700, Double.NaN, () -> base), "NaN never wins");
        BestCheckpoint resumed = new BestCheckpoint(32.8, 300, w -> fail("not better"));
        assertFalse(resumed.offer(800, 32.5, () -> base));
    }
}
