package org.reconview.scene;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.UnaryOperator;
import org.joml.Vector3f;

/**
 * A camera animation made of shots. Within a shot the pose is a smooth function of time; between shots there is a
 * cut. Time loops over the path's duration, and the loop point counts as a cut as well.
 */
public final class CameraPath {
    private record Shot(double start, DoubleFunction<CameraPose> pose) {
    }

    private final List<Shot> shots = new ArrayList<>();
    private final double duration;

    private CameraPath(double duration) {
        this.duration = duration;
    }

    public static CameraPath single(double duration, DoubleFunction<CameraPose> pose) {
        return new CameraPath(duration).cutTo(0, pose);
    }

    public static CameraPath of(double duration) {
        return new CameraPath(duration);
    }

    /** Adds a shot starting at {@code start} seconds; its function receives time since the start of the shot. */
    public CameraPath cutTo(double start, DoubleFunction<CameraPose> pose) {
        shots.add(new Shot(start, pose));
        return this;
    }

    public double duration() {
        return duration;
    }

    /**
     * The same shots and cut times, each shot's clock scaled by {@code timeScale} (faster or slower camera motion
     * within a shot) and each pose passed through {@code map}: the seeded variations of a built-in scene.
     */
    public CameraPath varied(double timeScale, UnaryOperator<CameraPose> map) {
        CameraPath p = new CameraPath(duration);
        for (Shot s : shots) {
            p.shots.add(new Shot(s.start, t -> map.apply(s.pose.apply(t * timeScale))));
        }
        return p;
    }

    private double wrap(double t) {
        double w = t % duration;
        return w < 0 ? w + duration : w;
    }

    private int shotIndex(double t) {
        double w = wrap(t);
        int index = 0;
        for (int i = 0; i < shots.size(); i++) {
            if (shots.get(i).start <= w) {
                index = i;
            }
        }
        return index;
    }

    public CameraPose at(double t) {
        double w = wrap(t);
        Shot s = shots.get(shotIndex(t));
        return s.pose.apply(w - s.start);
    }

    /** Whether a cut lies in (tPrev, t]: another shot, or the loop point. */
    public boolean cutBetween(double tPrev, double t) {
        if (Math.floor(tPrev / duration) != Math.floor(t / duration)) {
            return true;
        }
        return shotIndex(tPrev) != shotIndex(t);
    }

    // ---- shot helpers ----

    /** Orbit around a centre at the given radius and height, angular speed in radians per second. */
    public static DoubleFunction<CameraPose> orbit(Vector3f center, float radius, float height, double startAngle,
            double speed, float fov) {
        return t -> {
            double a = startAngle + speed * t;
            Vector3f pos = new Vector3f((float) (center.x + radius * Math.cos(a)), center.y + height,
                    (float) (center.z + radius * Math.sin(a)));
            return new CameraPose(pos, new Vector3f(center), fov);
        };
    }

    /** Moves from one pose to another over {@code seconds} with ease-in/out, then holds. */
    public static DoubleFunction<CameraPose> dolly(Vector3f fromPos, Vector3f fromTarget, Vector3f toPos,
            Vector3f toTarget, double seconds, float fov) {
        return t -> {
            double u = Math.min(Math.max(t / seconds, 0), 1);
            float s = (float) (u * u * (3 - 2 * u));
            return new CameraPose(new Vector3f(fromPos).lerp(toPos, s), new Vector3f(fromTarget).lerp(toTarget, s), fov);
        };
    }
}
