package org.reconview;

/**
 * A problem with the user's input (a file, an argument, a folder) rather than a bug. The CLI prints its message as
 * one line, without a stack trace, and exits non-zero. Messages name the file or argument first, then the problem:
 * {@code "frames/0003.color.exr: missing channel 'G' (has R, B, A)"}.
 */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
