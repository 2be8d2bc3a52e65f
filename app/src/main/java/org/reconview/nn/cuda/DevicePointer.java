package org.reconview.nn.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A {@link CUdeviceptr} whose address can be read and set as a number: {@link CudaDevice} hands out plain
 * {@code long} device addresses (they go into kernel parameter structs), while JCuda keeps the address in a protected
 * field. JCuda's native side reads a pointer argument as nativePointer + byteOffset and writes results (cuMemAlloc,
 * cuGraphicsResourceGetMappedPointer) into nativePointer with byteOffset 0, so {@link #address()} is their sum.
 */
final class DevicePointer extends CUdeviceptr {
    DevicePointer() {
    }

    /** A pointer argument for {@code address} (as withByteOffset builds one: nativePointer 0, byteOffset address). */
    static CUdeviceptr at(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }

    long address() {
        return getNativePointer() + getByteOffset();
    }
}
