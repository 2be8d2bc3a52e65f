package org.reconview.nn.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@link CudaDevice} that runs the kernels of kernels/*.cu on the CPU: a server process built from the same sources
 * by {@link KernelEmulator} (kernels/emu/emu_server.cpp documents its protocol), so the code that plans and launches
 * kernels, and the kernels' own logic, are checked against the golden model on machines without a GPU.
 * <p>
 * Device memory is the server's arena, mapped at a fixed address: the addresses this class hands out are the pointers
 * the kernels dereference. Launches run to completion before {@link #launch} returns, so {@link #synchronize} has
 * nothing to wait for. A launch the emulator refuses or aborts (unknown kernel, wrong parameter size, block over the
 * kernel's bound, a warp-collective operation on a partial warp, deadlock) throws {@link IllegalStateException}
 * "kernel NAME: why", and the device stays usable; a crash of the server (a kernel's bad pointer) throws one carrying
 * the server's stderr, which names the kernel, and the device is dead from then on.
 */
public final class EmulatedDevice implements CudaDevice {
    /** Reserved, not committed (MAP_NORESERVE): only the pages the kernels and copies touch cost memory. */
    static final long DEFAULT_ARENA_BYTES = 4L << 30;
    /** A launch running longer than this kills the server (a kernel looping forever fails its test, not the build). */
    static final int LAUNCH_TIMEOUT_SECONDS = 300;
    private static final int CHUNK = 1 << 20;
    private static final int STDERR_KEPT = 16 << 10;

    private final int arch;
    private final Process process;
    private final OutputStream out;
    private final DataInputStream in;
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stderrReader;
    private final Arena arena;
    private IllegalStateException dead;
    private boolean closed;

    /**
     * The emulator of {@code arch} (750, 800, 860, 890, 900) with the top-level kernels and {@code extraSources};
     * skips the calling test (JUnit assumption) where the emulator cannot be built here, fails it where the build fails.
     */
    public static EmulatedDevice open(int arch, Path... extraSources) {
        String why = KernelEmulator.unavailableReason();
        Assumptions.assumeTrue(why == null, why);
        return new EmulatedDevice(KernelEmulator.build(arch, extraSources), arch, DEFAULT_ARENA_BYTES);
    }

    EmulatedDevice(Path binary, int arch, long arenaBytes) {
        this.arch = arch;
        try {
            process = new ProcessBuilder(binary.toString(), Long.toString(arenaBytes),
                    Integer.toString(LAUNCH_TIMEOUT_SECONDS)).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the kernel emulator " + binary, e);
        }
        out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        String tag = "[emu-sm" + arch / 10 + "] ";
        stderrReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.err.println(tag + line);  // kernels' printf lands here too
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                        if (stderr.length() > STDERR_KEPT) {
                            stderr.delete(0, stderr.length() - STDERR_KEPT);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process is gone; what it said is kept
            }
        }, "kernel-emu-stderr");
        stderrReader.setDaemon(true);
        stderrReader.start();
        try {
            byte[] magic = new byte[7];
            in.readFully(magic);
            if (!new String(magic, StandardCharsets.US_ASCII).equals("RVEMU1\n")) {
                throw new IOException("not the kernel emulator's hello");
            }
            ByteBuffer hello = le(readBytes(4 + 8 + 8));
            int served = hello.getInt();
            long base = hello.getLong();
            long size = hello.getLong();
            if (served != arch) {
                throw new IOException("the emulator serves sm_" + served / 10 + ", not sm_" + arch / 10);
            }
            arena = new Arena(base, size);
        } catch (IOException e) {
            IllegalStateException failure = crashed("start-up", e);
            process.destroyForcibly();
            throw failure;
        }
    }

    @Override
    public synchronized long alloc(long bytes) {
        alive();
        Arena.Block b = arena.alloc(bytes);
        if (b.dirty()) {  // reused memory: zero it, as the interface promises
            String error = request("zeroing device memory", header('Z', 16).putLong(b.address()).putLong(b.length()));
            if (error != null) {
                throw new IllegalStateException("zeroing reused device memory: " + error);
            }
        }
        return b.address();
    }

    @Override
    public synchronized void free(long address) {
        alive();
        arena.free(address);
    }

    @Override
    public synchronized void upload(long address, ByteBuffer data) {
        alive();
        ByteBuffer src = data.duplicate();
        long n = src.remaining();
        String what = "upload of " + n + " bytes to 0x" + Long.toHexString(address);
        try {
            send(header('W', 16).putLong(address).putLong(n));
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
            while (src.hasRemaining()) {
                int k = Math.min(chunk.length, src.remaining());
                src.get(chunk, 0, k);
                out.write(chunk, 0, k);
            }
            out.flush();
            String error = readStatus();
            if (error != null) {
                throw new IllegalArgumentException(what + ": " + error);
            }
        } catch (IOException e) {
            throw crashed(what, e);
        }
    }

    @Override
    public synchronized void download(long address, ByteBuffer into) {
        alive();
        ByteBuffer dst = into.duplicate();
        long n = dst.remaining();
        String what = "download of " + n + " bytes from 0x" + Long.toHexString(address);
        try {
            send(header('R', 16).putLong(address).putLong(n));
            out.flush();
            String error = readStatus();
            if (error != null) {
                throw new IllegalArgumentException(what + ": " + error);
            }
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
            while (dst.hasRemaining()) {
                int k = Math.min(chunk.length, dst.remaining());
                in.readFully(chunk, 0, k);
                dst.put(chunk, 0, k);
            }
        } catch (IOException e) {
            throw crashed(what, e);
        }
    }

    @Override
    public synchronized void launch(String kernel, Dim3 grid, Dim3 block, ByteBuffer params) {
        alive();
        byte[] name = kernel.getBytes(StandardCharsets.UTF_8);
        ByteBuffer p = params.duplicate();
        ByteBuffer msg = header('L', 4 + name.length + 24 + 4 + p.remaining());
        msg.putInt(name.length).put(name);
        msg.putInt(grid.x()).putInt(grid.y()).putInt(grid.z()).putInt(block.x()).putInt(block.y()).putInt(block.z());
        msg.putInt(p.remaining()).put(p);
        String error = request("launch of kernel " + kernel, msg);
        if (error != null) {
            throw new IllegalStateException("kernel " + kernel + ": " + error);
        }
    }

    @Override
    public synchronized void synchronize() {
        alive();  // launches and copies complete before their calls return
    }

    @Override
    public String description() {
        return "CPU emulator of sm_" + arch / 10;
    }

    @Override
    public int computeCapability() {
        return arch / 10;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (dead == null) {
            try {
                send(header('Q', 0));
                out.flush();
                readStatus();
            } catch (IOException ignored) {
                // it is going away either way
            }
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    // ---- protocol ----

    private void alive() {
        if (closed) {
            throw new IllegalStateException(description() + " is closed");
        }
        if (dead != null) {
            throw new IllegalStateException(dead.getMessage(), dead);
        }
    }

    /** Sends {@code msg} (a header already filled in) and returns the error text of its answer, or null. */
    private String request(String what, ByteBuffer msg) {
        try {
            send(msg);
            out.flush();
            return readStatus();
        } catch (IOException e) {
            throw crashed(what, e);
        }
    }

    private static ByteBuffer header(char op, int operandBytes) {
        return ByteBuffer.allocate(1 + operandBytes).order(ByteOrder.LITTLE_ENDIAN).put((byte) op);
    }

    private void send(ByteBuffer msg) throws IOException {
        out.write(msg.array(), 0, msg.position());
    }

    private String readStatus() throws IOException {
        int status = in.readUnsignedByte();
        if (status == 0) {
            return null;
        }
        int n = le(readBytes(4)).getInt();
        return new String(readBytes(n), StandardCharsets.UTF_8);
    }

    private byte[] readBytes(int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The server died (or broke the protocol) during {@code what}: the exception, with its exit and stderr. */
    private IllegalStateException crashed(String what, IOException cause) {
        String exit;
        try {
            exit = process.waitFor(5, TimeUnit.SECONDS)
                    ? "exit status " + process.exitValue() + (process.exitValue() > 128
                            ? " (signal " + (process.exitValue() - 128) + ")" : "")
                    : "still running";
            stderrReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = "interrupted";
        }
        String err;
        synchronized (stderr) {
            err = stderr.toString().strip();
        }
        dead = new IllegalStateException(description() + " died during " + what + " (" + exit + ")"
                + (err.isEmpty() ? "" : ":\n" + err), cause);
        return dead;
    }

    // ---- device memory ----

    /**
     * First-fit allocation over the arena: 256-byte aligned blocks, freed blocks coalesced, the top given back to the
     * bump pointer. Memory above the high-water mark has never been touched and is zero (fresh anonymous pages).
     */
    static final class Arena {
        static final long ALIGN = 256;

        record Block(long address, long length, boolean dirty) {
        }

        private final long base;
        private final long size;
        private long top;         // offset of the bump pointer
        private long highWater;   // offsets below may have been written
        private final TreeMap<Long, Long> free = new TreeMap<>();  // offset -> length
        private final Map<Long, Long> used = new HashMap<>();      // address -> length

        Arena(long base, long size) {
            this.base = base;
            this.size = size;
        }

        Block alloc(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("allocation of " + bytes + " bytes");
            }
            long length = Math.max(ALIGN, (bytes + ALIGN - 1) / ALIGN * ALIGN);
            long offset = -1;
            for (Map.Entry<Long, Long> e : free.entrySet()) {
                if (e.getValue() >= length) {
                    offset = e.getKey();
                    free.remove(offset);
                    if (e.getValue() > length) {
                        free.put(offset + length, e.getValue() - length);
                    }
                    break;
                }
            }
            if (offset < 0) {
                if (length > size - top) {
                    throw new IllegalStateException("emulated device memory exhausted: " + bytes + " bytes wanted, "
                            + (size - top) + " left above " + used.size() + " allocations");
                }
                offset = top;
                top += length;
            }
            boolean dirty = offset < highWater;
            highWater = Math.max(highWater, offset + length);
            used.put(base + offset, length);
            return new Block(base + offset, length, dirty);
        }

        void free(long address) {
            Long length = used.remove(address);
            if (length == null) {
                throw new IllegalArgumentException("free of 0x" + Long.toHexString(address)
                        + ", which alloc did not return or was freed already");
            }
            long offset = address - base;
            long end = offset + length;
            Map.Entry<Long, Long> before = free.floorEntry(offset);
            if (before != null && before.getKey() + before.getValue() == offset) {
                offset = before.getKey();
                free.remove(offset);
            }
            Long after = free.remove(end);
            if (after != null) {
                end += after;
            }
            if (end == top) {
                top = offset;
            } else {
                free.put(offset, end - offset);
            }
        }
    }
}
