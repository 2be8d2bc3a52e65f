package org.reconview.nn.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes of a kernel's one struct parameter, laid out as the C struct of the same field order on x86-64 and in
 * CUDA (which share struct layout): each field at a multiple of its own size, the whole padded to its largest field.
 * Kernels check the struct's size with a {@code static_assert}; the launchers check {@link #size()} against the same
 * number, so a field added on one side only fails loudly.
 */
public final class KernelParams {
    private final ByteBuffer buf = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
    private int maxAlign = 1;

    private void align(int a) {
        maxAlign = Math.max(maxAlign, a);
        while (buf.position() % a != 0) {
            buf.put((byte) 0);
        }
    }

    /** A device pointer or other 64-bit field. */
    public KernelParams ptr(long address) {
        align(8);
        buf.putLong(address);
        return this;
    }

    public KernelParams i32(int v) {
        align(4);
        buf.putInt(v);
        return this;
    }

    public KernelParams u32(int bits) {
        return i32(bits);
    }

    public KernelParams f32(float v) {
        align(4);
        buf.putFloat(v);
        return this;
    }

    /** The struct's size so far, tail padding included. */
    public int size() {
        int n = buf.position();
        return (n + maxAlign - 1) / maxAlign * maxAlign;
    }

    /** The finished struct: a little-endian buffer of {@link #size()} bytes, positioned at 0. */
    public ByteBuffer bytes() {
        ByteBuffer out = ByteBuffer.allocateDirect(size()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer src = buf.duplicate().flip();
        out.put(src);
        return out.clear();
    }
}
