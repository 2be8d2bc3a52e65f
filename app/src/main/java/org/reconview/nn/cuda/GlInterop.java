package org.reconview.nn.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUgraphicsRegisterFlags;
import jcuda.driver.CUgraphicsResource;

/**
 * GL buffer objects shared with CUDA on a {@link DriverDevice} opened with {@code sameDeviceAsGl}: each buffer is
 * registered once ({@code cuGraphicsGLRegisterBuffer}), and each frame the set a pass needs is mapped together on the
 * device's stream ({@code cuGraphicsMapResources}), its device addresses used by kernels, and unmapped
 * ({@code cuGraphicsUnmapResources}) before GL touches the buffers again.
 *
 * <p>Ordering, as the CUDA driver API documents it for the two calls:
 * <ul>
 * <li>map: all GL work issued before the map completes before any CUDA work issued on the stream after it starts.
 * That covers completion, not visibility of shader writes: GL must have issued {@code glMemoryBarrier} (e.g.
 * {@code GL_BUFFER_UPDATE_BARRIER_BIT | GL_SHADER_STORAGE_BARRIER_BIT}, or {@code GL_ALL_BARRIER_BITS}) after the
 * compute or fragment shaders that wrote the buffers through image or shader storage stores, before mapping.</li>
 * <li>unmap: all CUDA work issued on the stream before the unmap completes before any GL work issued after it starts.
 * </li>
 * <li>while mapped, GL must not use the buffers (undefined results), and the addresses are valid only until the
 * unmap: a later map may return different ones.</li>
 * </ul>
 * Both calls take the GL context current on the calling thread, so every method here must be called with it current
 * (the render thread). Not thread-safe.
 */
public final class GlInterop implements AutoCloseable {
    /** How CUDA uses a buffer (the registration flag; the driver may skip copies it knows are not needed). */
    public enum Access {
        /** CUDA reads and writes (CU_GRAPHICS_REGISTER_FLAGS_NONE). */
        READ_WRITE(CUgraphicsRegisterFlags.CU_GRAPHICS_REGISTER_FLAGS_NONE),
        /** CUDA only reads (CU_GRAPHICS_REGISTER_FLAGS_READ_ONLY). */
        READ_ONLY(CUgraphicsRegisterFlags.CU_GRAPHICS_REGISTER_FLAGS_READ_ONLY),
        /** CUDA overwrites all of it and does not read the old contents (CU_GRAPHICS_REGISTER_FLAGS_WRITE_DISCARD). */
        WRITE_DISCARD(CUgraphicsRegisterFlags.CU_GRAPHICS_REGISTER_FLAGS_WRITE_DISCARD);

        final int flags;

        Access(int flags) {
            this.flags = flags;
        }
    }

    /** One registered GL buffer. */
    public final class Buffer {
        private final int glBuffer;
        private final Access access;
        private final CUgraphicsResource resource;
        private Mapping mappedBy;

        private Buffer(int glBuffer, Access access, CUgraphicsResource resource) {
            this.glBuffer = glBuffer;
            this.access = access;
            this.resource = resource;
        }

        public int glBuffer() {
            return glBuffer;
        }

        public Access access() {
            return access;
        }
    }

    /** Buffers mapped together; {@link #close()} unmaps them. */
    public final class Mapping implements AutoCloseable {
        private final Buffer[] buffers;
        private final Map<Buffer, long[]> addressAndSize = new IdentityHashMap<>();
        private boolean open = true;

        private Mapping(Buffer[] buffers) {
            this.buffers = buffers;
        }

        /** The device address of {@code b} while mapped. */
        public long address(Buffer b) {
            return entry(b)[0];
        }

        /** The size in bytes of {@code b} (the GL buffer's size). */
        public long size(Buffer b) {
            return entry(b)[1];
        }

        private long[] entry(Buffer b) {
            if (!open) {
                throw new IllegalStateException("mapping closed: the addresses are no longer valid");
            }
            long[] e = addressAndSize.get(b);
            if (e == null) {
                throw new IllegalArgumentException("GL buffer " + b.glBuffer + " is not part of this mapping");
            }
            return e;
        }

        /** Unmaps the buffers on the device's stream (GL work issued after this waits for CUDA work issued before). */
        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            for (Buffer b : buffers) {
                b.mappedBy = null;
            }
            mappings.remove(this);
            CUgraphicsResource[] resources = resources(buffers);
            DriverDevice.call("cuGraphicsUnmapResources", () -> {
                device.makeCurrent();
                cuGraphicsUnmapResources(resources.length, resources, device.stream());
                return null;
            });
        }
    }

    private final DriverDevice device;
    private final List<Buffer> registered = new ArrayList<>();
    private final List<Mapping> mappings = new ArrayList<>();

    /** Interop on {@code device}, which must run the current GL context ({@link DriverDevice#open(boolean)}). */
    public GlInterop(DriverDevice device) {
        this.device = device;
    }

    /** Registers GL buffer object {@code glBuffer} (its name, as glCreateBuffers returns it) for CUDA access. */
    public Buffer register(int glBuffer, Access access) {
        CUgraphicsResource resource = new CUgraphicsResource();
        DriverDevice.call("cuGraphicsGLRegisterBuffer(" + glBuffer + ")", () -> {
            device.makeCurrent();
            cuGraphicsGLRegisterBuffer(resource, glBuffer, access.flags);
            return null;
        });
        Buffer b = new Buffer(glBuffer, access, resource);
        registered.add(b);
        return b;
    }

    /**
     * Maps {@code buffers} together on the device's stream and returns their addresses. GL work issued before completes
     * before CUDA work issued after; GL shader writes must be made visible with glMemoryBarrier before this call.
     */
    public Mapping map(Buffer... buffers) {
        if (buffers.length == 0) {
            throw new IllegalArgumentException("nothing to map");
        }
        for (Buffer b : buffers) {
            if (!registered.contains(b)) {
                throw new IllegalArgumentException("GL buffer " + b.glBuffer + " is not registered here");
            }
            if (b.mappedBy != null) {
                throw new IllegalStateException("GL buffer " + b.glBuffer + " is mapped already");
            }
        }
        Mapping m = new Mapping(buffers.clone());
        CUgraphicsResource[] resources = resources(buffers);
        DriverDevice.call("cuGraphicsMapResources", () -> {
            device.makeCurrent();
            cuGraphicsMapResources(resources.length, resources, device.stream());
            return null;
        });
        for (Buffer b : buffers) {
            b.mappedBy = m;
        }
        mappings.add(m);
        try {
            for (Buffer b : buffers) {
                DevicePointer p = new DevicePointer();
                long[] size = new long[1];
                DriverDevice.call("cuGraphicsResourceGetMappedPointer(" + b.glBuffer + ")", () -> {
                    cuGraphicsResourceGetMappedPointer(p, size, b.resource);
                    return null;
                });
                m.addressAndSize.put(b, new long[] {p.address(), size[0]});
            }
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** Unmaps what is still mapped and unregisters every buffer (the GL buffers themselves stay GL's to delete). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Mapping m : new ArrayList<>(mappings)) {
            try {
                m.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        for (Buffer b : registered) {
            try {
                DriverDevice.call("cuGraphicsUnregisterResource(" + b.glBuffer + ")", () -> {
                    device.makeCurrent();
                    cuGraphicsUnregisterResource(b.resource);
                    return null;
                });
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        registered.clear();
        if (first != null) {
            throw first;
        }
    }

    private static CUgraphicsResource[] resources(Buffer[] buffers) {
        CUgraphicsResource[] r = new CUgraphicsResource[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            r[i] = buffers[i].resource;
        }
        return r;
    }
}
