package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.nn.CadyqModel;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Weights;

class CadyqInitCommandTest {
    @TempDir
    Path tmp;

    static int run(StringWriter err, String... args) {
        return Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
    }

    @Test
    void everyTileStartsAtTheGivenWidth() {
        NetworkSpec net = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
        Path q = tmp.resolve("q.safetensors");
        QuantizedTestData.weights(net, 7).withMetadata(net.metadata()).write(q);
        Path out = tmp.resolve("c3.safetensors");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "cadyq-init", "--init", q.toString(), "--candidates", "2,3,4,8", "--bits", "3",
                "--out", out.toString()), err.toString());
        CadyqSpec spec = CadyqSpec.of(net, List.of(2, 3, 4, 8), 32);
        Weights w = Weights.read(out);
        w.validate(spec);
        Random rnd = new Random(1);
        CadyqModel.Result r = new CadyqModel(spec, w).runAll(QuantizedTestData.image(rnd, 64, 64),
                QuantizedTestData.image(rnd, 64, 64));
        for (int[] bits : r.bits().values()) {
            for (int b : bits) {
                assertEquals(3, b);
            }
        }
    }

    @Test
    void badWidthsAndNetworksAreOneLineErrors() {
        Path q = tmp.resolve("q.safetensors");
        NetworkSpec net = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
        QuantizedTestData.weights(net, 7).withMetadata(net.metadata()).write(q);
        Path u = tmp.resolve("u.safetensors");
        Weights.random(NetworkSpec.unet(), 1).write(u);
        String[][] cases = {
            {"--init", q.toString(), "--bits", "5"},
            {"--init", q.toString(), "--candidates", "4,16"},
            {"--init", u.toString()},
        };
        String[] expected = {"--bits: 5 is not among", "candidate width 16", "needs a QW-Net"};
        for (int i = 0; i < cases.length; i++) {
            StringWriter err = new StringWriter();
            String[] args = new String[cases[i].length + 3];
            args[0] = "cadyq-init";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            args[args.length - 2] = "--out";
            args[args.length - 1] = tmp.resolve("x" + i + ".safetensors").toString();
            assertEquals(2, run(err, args), err.toString());
            String e = err.toString().strip();
            assertFalse(e.contains("\n"), e);
            assertTrue(e.contains(expected[i]), e + " should say " + expected[i]);
        }
    }
}
