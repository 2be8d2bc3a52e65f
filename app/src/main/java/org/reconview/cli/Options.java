package org.reconview.cli;

import org.reconview.UserException;

/** Range checks for numeric options, with one-line messages naming the option. */
final class Options {
    private Options() {
    }

    static void positive(String option, long value) {
        atLeast(option, value, 1);
    }

    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new UserException(option + ": " + value + " must be at least " + min);
        }
    }
}
