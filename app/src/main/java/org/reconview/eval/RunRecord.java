package org.reconview.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reconview.UserException;

/**
 * What it takes to reproduce an evaluation, written as summary.json's {@code record}: the command line as given,
 * the tool's version and commit, the scene layout seed and first frame, the GL implementation that ran it, and the
 * SHA-256 of every weights file used (a file name says nothing once a model is retrained under the same name).
 *
 * @param commandLine the sub-command's arguments, as typed
 * @param weightsSha256 weights file (as given or resolved) to its SHA-256, lower-case hex
 */
public record RunRecord(List<String> commandLine, String version, String commit, long seed, int start,
                        String glVendor, String glRenderer, String glVersion, Map<String, String> weightsSha256) {

    public RunRecord {
        commandLine = List.copyOf(commandLine);
        weightsSha256 = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weightsSha256));
    }

    /** The SHA-256 of each file, in order. */
    public static Map<String, String> digests(List<Path> files) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Path f : files) {
            m.put(f.toString(), sha256(f));
        }
        return m;
    }

    /** SHA-256 of a file's bytes, lower-case hex; a file that cannot be read is a one-line error naming it. */
    public static String sha256(Path file) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** As summary.json holds it. */
    Map<String, Object> json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("command_line", commandLine);
        o.put("version", version);
        o.put("commit", commit);
        o.put("seed", seed);
        o.put("start", start);
        Map<String, Object> gl = new LinkedHashMap<>();
        gl.put("vendor", glVendor);
        gl.put("renderer", glRenderer);
        gl.put("version", glVersion);
        o.put("gl", gl);
        o.put("weights_sha256", weightsSha256);
        return o;
    }
}
