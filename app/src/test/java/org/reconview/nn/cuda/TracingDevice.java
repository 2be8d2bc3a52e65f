package org.reconview.nn.cuda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link CudaDevice} that records what is done on it as a trace for {@code kernels/replay/replay.cpp}, which repeats
 * it on an NVIDIA GPU without Java (the lent GPU machine has no JDK): allocations, uploads, launches with their
 * parameter bytes, and every download with the result the recorded device gave, to be compared there. With no device
 * underneath it only records (for 1080p benchmarks, which the emulator would take hours to run): allocations get
 * addresses of their own and downloads are refused. {@link #timed} marks a region the replay times. Format: the
 * header of replay.cpp.
 */
final class TracingDevice implements CudaDevice {
    /** How the replay compares a download (replay.cpp's kinds). */
    enum Check { INT_EXACT, CODES4, FLOAT, INT_NEAR }

    private final CudaDevice inner;
    private final int computeCapability;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<Long, Long> sizes = new HashMap<>();
    private final Map<Long, Check> checks = new HashMap<>();
    private long nextAddress = 0x300000000000L;

    /** Records what runs on {@code inner}. */
    TracingDevice(CudaDevice inner) {
        this.inner = inner;
        this.computeCapability = inner.computeCapability();
        out.writeBytes("RVTRACE1".getBytes(StandardCharsets.US_ASCII));
    }

    /** Records only, as a device of this compute capability. */
    TracingDevice(int computeCapability) {
        this.inner = null;
        this.computeCapability = computeCapability;
        out.writeBytes("RVTRACE1".getBytes(StandardCharsets.US_ASCII));
    }

    /** How downloads from the allocation at {@code address} are compared (default: exact). */
    void expect(long address, Check check) {
        checks.put(address, check);
    }

    /** The launches of {@code work} form a region the replay times ({@code reps} times after a warm-up). */
    void timed(String label, int reps, long ops, long bytes, Runnable work) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = record(1 + 2 + l.length + 4 + 8 + 8);
        b.put((byte) 'T').putShort((short) l.length).put(l).putInt(reps).putLong(ops).putLong(bytes);
        emit(b);
        work.run();
        emit(record(1).put((byte) 'E'));
    }

    private ByteBuffer record(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void emit(ByteBuffer b) {
        out.write(b.array(), 0, b.position());
    }

    @Override
    public long alloc(long bytes) {
        long a;
        if (inner != null) {
            a = inner.alloc(bytes);
        } else {
            a = nextAddress;
            nextAddress += (bytes + 255) / 256 * 256 + 256;
        }
        sizes.put(a, bytes);
        ByteBuffer b = record(17);
        b.put((byte) 'A').putLong(a).putLong(bytes);
        emit(b);
        return a;
    }

    @Override
    public void free(long address) {
        if (inner != null) {
            inner.free(address);
        }
        sizes.remove(address);
        checks.remove(address);
        ByteBuffer b = record(9);
        b.put((byte) 'F').putLong(address);
        emit(b);
    }

    @Override
    public void upload(long address, ByteBuffer data) {
        if (inner != null) {
            inner.upload(address, data);
        }
        ByteBuffer b = record(17 + data.remaining());
        b.put((byte) 'W').putLong(address).putLong(data.remaining()).put(data.duplicate());
        emit(b);
    }

    @Override
    public void download(long address, ByteBuffer into) {
        if (inner == null) {
            throw new IllegalStateException("a recording-only trace has no results to download");
        }
        inner.download(address, into);
        ByteBuffer b = record(18 + into.remaining());
        b.put((byte) 'C').putLong(address).putLong(into.remaining())
                .put((byte) checks.getOrDefault(address, Check.INT_EXACT).ordinal()).put(into.duplicate());
        emit(b);
    }

    @Override
    public void launch(String kernel, Dim3 grid, Dim3 block, ByteBuffer params) {
        if (inner != null) {
            inner.launch(kernel, grid, block, params);
        }
        byte[] n = kernel.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = record(1 + 2 + n.length + 24 + 4 + params.remaining());
        b.put((byte) 'L').putShort((short) n.length).put(n)
                .putInt(grid.x()).putInt(grid.y()).putInt(grid.z()).putInt(block.x()).putInt(block.y())
                .putInt(block.z()).putInt(params.remaining()).put(params.duplicate());
        emit(b);
    }

    @Override
    public void synchronize() {
        if (inner != null) {
            inner.synchronize();
        }
    }

    @Override
    public String description() {
        return "trace" + (inner == null ? " (recording only, sm_" + computeCapability + ")" : " of " + inner.description());
    }

    @Override
    public int computeCapability() {
        return computeCapability;
    }

    /** Writes the trace (through a temporary name) and returns its size in bytes. */
    long write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, out.toByteArray());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The inner device is the caller's to close. */
    @Override
    public void close() {
    }
}
