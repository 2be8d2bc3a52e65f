package org.reconview.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;

/** SHA-256 against FIPS 180-2's test vectors, and the record's JSON shape. */
class RunRecordTest {
    @TempDir
    Path tmp;

    @Test
    void digestsMatchThePublishedVectors() throws Exception {
        Path abc = tmp.resolve("abc.bin");
        Files.writeString(abc, "abc", StandardCharsets.US_ASCII);
        // FIPS 180-2, appendix B.1 ("abc") and the empty message
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", RunRecord.sha256(abc));
        Path empty = tmp.resolve("empty.bin");
        Files.write(empty, new byte[0]);
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", RunRecord.sha256(empty));
        // more than one read buffer: a million 'a' (appendix B.3)
        Path million = tmp.resolve("a.bin");
        Files.write(million, "a".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
        assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", RunRecord.sha256(million));
        assertEquals(Map.of(abc.toString(), RunRecord.sha256(abc), empty.toString(), RunRecord.sha256(empty)),
                RunRecord.digests(List.of(abc, empty)));
    }

    @Test
    void aMissingFileIsOneLineNamingIt() {
        Path gone = tmp.resolve("gone.safetensors");
        UserException e = assertThrows(UserException.class, () -> RunRecord.sha256(gone));
        assertTrue(e.getMessage().startsWith(gone + ": cannot read"), e.getMessage());
    }

    @Test
    void jsonHoldsEveryField() {
        RunRecord r = new RunRecord(List.of("eval", "--start", "30"), "9.9", "abc123", 7, 30, "Mesa", "llvmpipe",
                "4.5", Map.of("m.safetensors", "00ff"));
        Map<String, Object> j = r.json();
        assertEquals(List.of("eval", "--start", "30"), j.get("command_line"));
        assertEquals("9.9", j.get("version"));
        assertEquals("abc123", j.get("commit"));
        assertEquals(7L, j.get("seed"));
        assertEquals(30, j.get("start"));
        assertEquals(Map.of("vendor", "Mesa", "renderer", "llvmpipe", "version", "4.5"), j.get("gl"));
        assertEquals(Map.of("m.safetensors", "00ff"), j.get("weights_sha256"));
    }
}
