package org.reconview.recon;

import static org.lwjgl.opengl.GL45C.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.reconview.Job;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.Texture2D;
import org.reconview.nn.BitOps;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.Weights;
import org.reconview.nn.cuda.CudaOffload;
import org.reconview.nn.gl.CadyqNetwork;
import org.reconview.nn.gl.GpuNetwork;
import org.reconview.nn.gl.GpuOps;
import org.reconview.nn.gl.GpuTensor;
import org.reconview.nn.gl.InferenceNetwork;
import org.reconview.nn.gl.Int4Network;
import org.reconview.source.Frame;

/**
 * A network as a reconstruction method (the U-Net, or QW-Net), frame-recurrent as in the paper (section 3):
 * I_a is the 1-spp frame PQ-encoded, I_w the previous output warped by the frame's motion (I_w = I_a on the first
 * frame, after a cut or reset, and where the warp falls off screen); the network works in PQ space and its output is
 * decoded back to linear HDR. Frames are padded to a multiple of 16 by edge replication and cropped back.
 * <p>
 * The network itself plugs in behind {@link InferenceNetwork}: all FP32 ({@link GpuNetwork}: the U-Net, {@code qwnet-fp32}), or
 * QW-Net with its INT4 feature extractor ({@link Int4Network}: {@code qwnet}). The recurrence, padding and PQ
 * conversions here are the same for both.
 */
public final class NetworkReconstructor implements Reconstructor {
    private final String name;
    private final String weightsDescription;
    private final GpuOps ops = new GpuOps();
    private final InferenceNetwork network;
    private final WarpPass warp = new WarpPass();
    private final ShaderProgram io = ShaderProgram.compute("nn/io.comp", Map.of());
    private Texture2D pqPrevious;
    private Texture2D pqOutput;
    private Texture2D linearOutput;
    private Texture2D warped;
    private boolean hasHistory;
    private boolean backendChoice;
    private int width;
    private int height;

    /** The all-FP32 network ({@link GpuNetwork}). */
    public NetworkReconstructor(String name, NetworkSpec spec, Weights weights, String weightsDescription) {
        this(name, ops -> new GpuNetwork(spec, weights, ops), weightsDescription);
    }

    /**
     * A network built on this reconstructor's {@link GpuOps}, e.g. {@code ops -> new Int4Network(spec, weights, ops)}.
     */
    public NetworkReconstructor(String name, Function<GpuOps, InferenceNetwork> network, String weightsDescription) {
        this.name = name;
        this.weightsDescription = weightsDescription;
        this.network = network.apply(ops);
    }

    /** QW-Net with its INT4 feature extractor ({@link Int4Network}) in GLSL. */
    public static NetworkReconstructor quantized(String name, NetworkSpec spec, Weights weights,
            String weightsDescription) {
        NetworkReconstructor r = new NetworkReconstructor(name, ops -> new Int4Network(spec, weights, ops),
                weightsDescription);
        r.backendChoice = true;
        return r;
    }

    /**
     * QW-Net with its INT4 feature extractor's convs on CUDA ({@link CudaOffload}, on the GPU of the current GL
     * context), the rest in GLSL.
     */
    public static NetworkReconstructor quantizedCuda(String name, NetworkSpec spec, Weights weights,
            String weightsDescription) {
        QuantizedModel model = new QuantizedModel(spec, weights);
        NetworkReconstructor r = new NetworkReconstructor(name, ops -> new Int4Network(model, ops,
                CudaOffload.open(model)), weightsDescription);
        r.backendChoice = true;
        return r;
    }

    /** The INT4 network's integer convs can run on CUDA or GLSL. */
    @Override
    public boolean hasBackendChoice() {
        return backendChoice;
    }

    @Override
    public String name() {
        return name;
    }

    /** A few words for a view's title: the arithmetic, and "random weights" where no trained ones were given. */
    @Override
    public String shortDescription() {
        String arithmetic = network.arithmetic().startsWith("INT4") ? "INT4" : "FP32";
        return arithmetic + ", " + (weightsDescription.startsWith("random") ? "random weights" : weightsDescription);
    }

    /** What runs: the architecture and where the weights came from (random weights say so). */
    @Override
    public String description() {
        return network.spec().variant() + " (" + network.arithmetic() + "), " + weightsDescription;
    }

    @Override
    public Texture2D reconstruct(Frame frame) {
        return begin(frame).finish();
    }

    /** Input packing and warp, then one step per network layer ({@link InferenceNetwork#steps()}), then the output. */
    @Override
    public Job<Texture2D> begin(Frame frame) {
        return begin(frame, Long.MAX_VALUE);
    }

    /** As {@link #begin(Frame)}, the network's convolutions cut into row bands ({@link InferenceNetwork#steps(long)}). */
    @Override
    public Job<Texture2D> begin(Frame frame, long macsPerStep) {
        ensureSize(frame.width(), frame.height());
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> {
            GpuTensor ia = network.tensor(NetworkSpec.INPUT_ALIASED);
            GpuTensor iw = network.tensor(NetworkSpec.INPUT_WARPED);
            pack(frame.color(), true, frame.color(), ia);
            if (hasHistory && !frame.cut()) {
                warp.run(pqPrevious, frame.motion(), warped);
                pack(warped, false, frame.color(), iw);
            } else {
                glCopyNamedBufferSubData(ia.buffer(), iw.buffer(), 0, 0, (long) ia.size() * Float.BYTES);
                glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
            }
        });
        steps.addAll(network.steps(macsPerStep));
        steps.add(() -> {
            GpuTensor ia = network.tensor(NetworkSpec.INPUT_ALIASED);
            io.use().set("uMode", 1).setInt2("uImageSize", width, height).setInt2("uPadded", ia.width, ia.height);
            network.output().bind(0);
            glBindImageTexture(0, pqOutput.id(), 0, false, 0, GL_WRITE_ONLY, GL_RGBA32F);
            glBindImageTexture(1, linearOutput.id(), 0, false, 0, GL_WRITE_ONLY, GL_RGBA32F);
            glDispatchCompute((width + 7) / 8, (height + 7) / 8, 1);
            glMemoryBarrier(GL_ALL_BARRIER_BITS);
            pqPrevious.copyFrom(pqOutput);
            hasHistory = true;
        });
        return new Job<>(steps, () -> linearOutput);
    }

    private void pack(Texture2D source, boolean encode, Texture2D fallback, GpuTensor into) {
        io.use().set("uMode", 0).set("uEncode", encode).setInt2("uImageSize", width, height)
                .setInt2("uPadded", into.width, into.height);
        source.bind(0);
        fallback.bind(1);
        into.bind(0);
        glDispatchCompute((into.width + 7) / 8, (into.height + 7) / 8, 1);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
    }

    private void ensureSize(int w, int h) {
        if (w == width && h == height) {
            return;
        }
        closeTextures();
        width = w;
        height = h;
        int m = network.padMultiple();
        network.allocate((h + m - 1) / m * m, (w + m - 1) / m * m);
        pqPrevious = new Texture2D(w, h, GL_RGBA32F);
        pqOutput = new Texture2D(w, h, GL_RGBA32F);
        linearOutput = new Texture2D(w, h, GL_RGBA32F);
        warped = new Texture2D(w, h, GL_RGBA32F);
        hasHistory = false;
    }

    private void closeTextures() {
        for (Texture2D t : new Texture2D[] {pqPrevious, pqOutput, linearOutput, warped}) {
            if (t != null) {
                t.close();
            }
        }
    }

    /**
     * A CADyQ network's last bit map: tile side, tiles across and down, the MAC-weighted mean width per tile and the
     * tile's image gradient (the selector's feature).
     */
    public record TileBits(int tile, int tilesX, int tilesY, double[] meanBits, double[] gradient) {
    }

    /** The last frame's bit map for a CADyQ network, else null. */
    @Override
    public TileBits tileBits() {
        if (!(network instanceof CadyqNetwork c) || width == 0) {
            return null;
        }
        return new TileBits(c.padMultiple(), c.tilesX(), c.tilesY(), c.meanBitsPerTile(), c.tileGradients());
    }

    @Override
    public BitOps.Frame lastCost() {
        return width == 0 ? null : network.cost();
    }

    @Override
    public void reset() {
        hasHistory = false;
    }

    @Override
    public void close() {
        closeTextures();
        network.close();
        ops.close();
        warp.close();
        io.close();
    }
}
