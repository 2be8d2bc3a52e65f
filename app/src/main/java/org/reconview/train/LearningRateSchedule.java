package org.reconview.train;

/**
 * Linear warm-up from lr / warmupSteps to lr over the first {@code warmupSteps} steps, then a cosine decay to
 * {@code lr * finalFraction} at step {@code totalSteps} (held after it).
 */
public record LearningRateSchedule(float lr, int warmupSteps, int totalSteps, float finalFraction) {
    public static LearningRateSchedule constant(float lr) {
        return new LearningRateSchedule(lr, 0, 1, 1f);
    }

    public float at(int step) {
        if (step < warmupSteps) {
            return lr * (step + 1) / warmupSteps;
        }
        double span = Math.max(1, totalSteps - warmupSteps);
        double u = Math.min(1, (step - warmupSteps) / span);
        return (float) (lr * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * u))));
    }
}
