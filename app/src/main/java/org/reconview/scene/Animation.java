package org.reconview.scene;

import org.joml.Matrix4f;

/** An object's model matrix as a function of time in seconds. Pure: the same time gives the same matrix. */
@FunctionalInterface
public interface Animation {
    Matrix4f at(double t);

    static Animation fixed() {
        return t -> new Matrix4f();
    }
}
