package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.reconview.UserException;

/**
 * Without an NVIDIA driver the probe reports the CUDA backend unavailable with the "no NVIDIA driver" reason and never
 * throws, also when JCuda's classes are already broken by the first failed load (NoClassDefFoundError). Skipped with
 * the reason where a driver exists.
 */
class CudaBackendTest {
    static void assumeNoDriver() {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidia0")) || CudaBackend.driverFound(),
                "an NVIDIA driver is installed here: the no-driver fallback cannot be observed");
    }

    @Test
    void unavailableWithoutDriver() {
        assumeNoDriver();
        CudaBackend.Availability a = assertDoesNotThrow((org.junit.jupiter.api.function.ThrowingSupplier<CudaBackend.Availability>) () -> CudaBackend.probe());
        assertFalse(a.available());
        assertEquals("no NVIDIA driver (libcuda.so.1 not found)", a.reason());
        assertNull(a.device());
        assertSame(a, CudaBackend.probe(), "probed once");
    }

    @Test
    void laterProbesDoNotThrowEither() {
        assumeNoDriver();
        for (int i = 0; i < 3; i++) {
            CudaBackend.Availability a = assertDoesNotThrow((org.junit.jupiter.api.function.ThrowingSupplier<CudaBackend.Availability>) () -> CudaBackend.probeNow());
            assertFalse(a.available());
            assertEquals("no NVIDIA driver (libcuda.so.1 not found)", a.reason());
        }
    }

    @Test
    void glCheckKeepsTheDriverReason() {
        assumeNoDriver();
        assertEquals("no NVIDIA driver (libcuda.so.1 not found)", CudaBackend.probe("llvmpipe (LLVM 15.0.7)").reason());
    }

    @Test
    void backendNames() {
        assertEquals(Backend.AUTO, Backend.parse("--backend", "auto"));
        assertEquals(Backend.CPU, Backend.parse("--backend", "cpu"));
        UserException e = assertThrows(UserException.class, () -> Backend.parse("--backend", "CUDA"));
        assertEquals("--backend: unknown backend 'CUDA' (choices: auto, cuda, glsl, cpu)", e.getMessage());
    }
}
