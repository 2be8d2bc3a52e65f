package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;

class CadyqSpecTest {
    @TempDir
    Path dir;

    @Test
    void selectorsSitBeforeEveryFourBitConvOfTheFeatureExtractorOnly() {
        CadyqSpec s = CadyqSpec.qwnet();
        List<String> names = s.selected().stream().map(LayerSpec::name).toList();
        // enc0: 1 (its first conv is the 8-bit input conv), enc1-3: 2 each, bottleneck 2, dec3-0: 2 each
        assertEquals(1 + 6 + 2 + 8, names.size(), names.toString());
        assertFalse(names.contains("fe.enc0.conv0"), "the 8-bit input conv has no selector");
        assertTrue(names.contains("fe.enc0.conv1"));
        assertTrue(names.contains("fe.dec0.conv1"));
        assertTrue(names.stream().noneMatch(n -> n.startsWith("fn.")), "kernel prediction has none");
        LayerSpec dec3 = NetworkSpec.qwnet().layer("fe.dec3.conv0");
        assertEquals(2 + 288, s.features(dec3));
        assertArrayEquals(new int[] {3, 290}, s.weightShapes().get("fe.dec3.conv0.selector.weight"));
        assertArrayEquals(new int[] {3}, s.weightShapes().get("fe.dec3.conv0.selector.bias"));
        assertEquals("fe.dec3.concat", s.inputRange(dec3));
        assertArrayEquals(new int[] {1}, s.weightShapes().get("fe.dec3.concat.b2.t_u"));
        assertFalse(s.selectedRanges().contains("fe.input"), "the input range keeps one width");
    }

    @Test
    void tilesMustHoldTwoByTwoPixelsAtTheBottleneck() {
        assertEquals(2, CadyqSpec.qwnet().tile(4));
        for (int bad : new int[] {16, 48, 0, -32}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CadyqSpec.of(NetworkSpec.qwnet(), List.of(2, 4, 8), bad));
            assertTrue(e.getMessage().contains("tile " + bad), e.getMessage());
        }
        assertEquals(64, CadyqSpec.of(NetworkSpec.qwnet(), List.of(2, 4, 8), 64).tile());
        assertEquals(3, CadyqSpec.qwnet().tiles(96));
        assertThrows(IllegalArgumentException.class, () -> CadyqSpec.qwnet().tiles(80));
    }

    @Test
    void candidateSetsTheNetworkCannotRunAreRefused() {
        for (List<Integer> bad : List.of(List.of(4), List.of(4, 4), List.of(8, 4), List.of(1, 4), List.of(4, 16))) {
            assertThrows(IllegalArgumentException.class, () -> CadyqSpec.of(NetworkSpec.qwnet(), bad, 32),
                    bad.toString());
        }
        assertThrows(IllegalArgumentException.class,
                () -> CadyqSpec.of(NetworkSpec.unet(), List.of(2, 4, 8), 32), "U-Net has no quantized convs");
        assertEquals(List.of(3, 5), CadyqSpec.of(NetworkSpec.qwnet(), List.of(3, 5), 32).candidates());
    }

    @Test
    void metadataRoundTrips() {
        CadyqSpec s = CadyqSpec.of(NetworkSpec.qwnetR(), List.of(2, 4, 6, 8), 64);
        assertEquals(s, CadyqSpec.fromMetadata(s.metadata()));
        assertEquals("2,4,6,8", s.metadata().get(CadyqSpec.META_CANDIDATES));
        assertTrue(CadyqSpec.isCadyq(s.metadata()));
        assertFalse(CadyqSpec.isCadyq(NetworkSpec.qwnet().metadata()));
    }

    private Weights written(Weights w) {
        Path f = dir.resolve("w" + System.nanoTime() + ".safetensors");
        w.write(f);
        assertTrue(Files.exists(f));
        return Weights.read(f);
    }

    private static void oneLine(UserException e, String... parts) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage() + " should name " + p);
        }
    }

    @Test
    void aFileMissingASelectorIsRefusedByName() {
        NetworkSpec net = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
        CadyqSpec spec = CadyqSpec.of(net, List.of(2, 4, 8), 32);
        Weights full = written(CadyqInit.fromQwnet(QuantizedTestData.weights(net, 1), spec, 4));
        full.validate(spec);
        Weights missing = written(full.without("fe.dec1.conv1.selector.weight"));
        oneLine(assertThrows(UserException.class, () -> missing.validate(spec)), "fe.dec1.conv1.selector.weight",
                "missing");
        Weights noThreshold = written(full.without("fe.dec1.concat.b8.t_u"));
        oneLine(assertThrows(UserException.class, () -> noThreshold.validate(spec)), "fe.dec1.concat.b8.t_u");
    }

    @Test
    void aFileWithACandidateSetTheNetworkCannotRunIsRefused() {
        NetworkSpec net = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
        CadyqSpec spec = CadyqSpec.of(net, List.of(2, 4, 8), 32);
        Weights full = CadyqInit.fromQwnet(QuantizedTestData.weights(net, 1), spec, 4);
        for (String bad : new String[] {"4,16", "4", "8,4", "two,four", ""}) {
            Map<String, String> m = new LinkedHashMap<>(full.metadata());
            m.put(CadyqSpec.META_CANDIDATES, bad);
            Weights w = written(full.withMetadata(m));
            oneLine(assertThrows(UserException.class, () -> w.validate(spec), bad), "candidate");
        }
        Map<String, String> m = new LinkedHashMap<>(full.metadata());
        m.put(CadyqSpec.META_CANDIDATES, "2,4,6,8");
        Weights other = written(full.withMetadata(m));
        oneLine(assertThrows(UserException.class, () -> other.validate(spec)), "[2, 4, 6, 8]", "expected");
    }

    @Test
    void plainAndCadyqFilesAreNotTakenForEachOther() {
        NetworkSpec net = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
        CadyqSpec spec = CadyqSpec.of(net, List.of(2, 4, 8), 32);
        Weights plain = written(QuantizedTestData.weights(net, 2).withMetadata(net.metadata()));
        Weights cadyq = written(CadyqInit.fromQwnet(plain, spec, 4));
        oneLine(assertThrows(UserException.class, () -> cadyq.validate(net)), "CADyQ");
        oneLine(assertThrows(UserException.class, () -> plain.validate(spec)), "not CADyQ");
        assertThrows(IllegalArgumentException.class, () -> CadyqInit.fromQwnet(plain,
                CadyqSpec.of(net, List.of(2, 8), 32), 4), "4 bits is not a candidate");
    }
}
