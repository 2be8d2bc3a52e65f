package org.reconview.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one of this program's commands in a child JVM (same java, class path and reconview properties): how a command
 * that holds GL uses TensorFlow, since the two never share a process (TF's native code crashes once Mesa's GL
 * contexts have come and gone).
 */
final class ChildJvm {
    /** A finished child: its exit code and what it wrote to stdout and stderr. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    private ChildJvm() {
    }

    /**
     * The child's command line: java, the vector API module (the CPU network backend's; the launcher's own JVM does
     * without it, since Java 17 announces an incubator module on stderr), the class path, -Dreconview.* of this JVM,
     * Main, {@code args}.
     */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        for (String p : System.getProperties().stringPropertyNames()) {
            if (p.startsWith("reconview.") || p.equals("org.bytedeco.javacpp.cachedir")) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs the command and waits for it; an IOException (no java to start) is the caller's to report. */
    static Result run(String... args) throws IOException {
        Process p = new ProcessBuilder(command(args)).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> copy(p.getErrorStream(), err), "child-stderr");
        drain.setDaemon(true);
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int code = p.waitFor();
            drain.join();
            return new Result(code, out, err.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the child JVM", e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // the child is gone; what it wrote so far is kept
        }
    }
}
