package org.reconview.nn.gl;

import static org.lwjgl.opengl.GL45C.GL_SHADER_STORAGE_BARRIER_BIT;
import static org.lwjgl.opengl.GL45C.glDispatchCompute;
import static org.lwjgl.opengl.GL45C.glMemoryBarrier;

import java.util.List;
import java.util.Map;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.StorageBuffer;

/**
 * CADyQ's bit selector as compute passes ({@code shaders/nn/cadyq_select.comp}; golden: {@link
 * org.reconview.nn.BitSelector}): the tile gradients of I_a once per frame, then per selected conv the tile
 * statistics of its input by reduction, the linear layer and the argmax, so the bit map follows the content every
 * frame without leaving the GPU.
 */
public final class GpuBitSelector implements AutoCloseable {
    /** Widest candidate set the shader holds (its MAX_K). */
    public static final int MAX_CANDIDATES = 8;
    private final ShaderProgram program = ShaderProgram.compute("nn/cadyq_select.comp", Map.of());

    /** Tile gradients of the RGB tensor {@code rgb} (scale 0) in tiles of {@code tile}: into {@code grads}. */
    public void gradients(GpuTensor rgb, int tile, StorageBuffer grads) {
        int tilesX = check(rgb, tile);
        program.use().set("uMode", 0).set("uChannels", rgb.channels).set("uHeight", rgb.height)
                .set("uWidth", rgb.width).set("uTile", tile).set("uTilesX", tilesX);
        rgb.bind(0);
        grads.bind(1);
        grads.bind(2);
        grads.bind(3);
        grads.bind(4);
        glDispatchCompute(tilesX * (rgb.height / tile), 1, 1);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
    }

    /**
     * The widths of one conv's tiles: {@code input} at the conv's scale in tiles of {@code tileAtScale}, the tile
     * gradients from {@link #gradients}, {@code selector} = weight [K][F] then bias [K]. Writes the widths into
     * {@code bits} (ints) and the features [tile][F] into {@code features}.
     */
    public void choose(GpuTensor input, int tileAtScale, StorageBuffer grads, StorageBuffer selector,
            List<Integer> candidates, StorageBuffer bits, StorageBuffer features) {
        if (candidates.size() > MAX_CANDIDATES) {
            throw new IllegalArgumentException(candidates.size() + " candidates, the shader holds "
                    + MAX_CANDIDATES);
        }
        int tilesX = check(input, tileAtScale);
        program.use().set("uMode", 1).set("uChannels", input.channels).set("uHeight", input.height)
                .set("uWidth", input.width).set("uTile", tileAtScale).set("uTilesX", tilesX)
                .set("uCandidates", candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            program.set("uWidths[" + i + "]", candidates.get(i));
        }
        input.bind(0);
        grads.bind(1);
        selector.bind(2);
        bits.bind(3);
        features.bind(4);
        glDispatchCompute(tilesX * (input.height / tileAtScale), 1, 1);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
    }

    private static int check(GpuTensor t, int tile) {
        if (tile <= 0 || t.height % tile != 0 || t.width % tile != 0) {
            throw new IllegalArgumentException(t + " is not a whole number of " + tile + "x" + tile + " tiles");
        }
        return t.width / tile;
    }

    @Override
    public void close() {
        program.close();
    }
}
