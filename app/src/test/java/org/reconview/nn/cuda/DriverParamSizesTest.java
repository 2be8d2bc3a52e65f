package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelParamSizes} reads the parameter sizes DriverDevice checks launches against from the packaged images
 * (nvcc's cubins and PTX, on the classpath when the build had nvcc): roofline.cu's structs are 16 and 24 bytes in
 * every image, as its static_asserts say. Needs no GPU.
 */
class DriverParamSizesTest {
    @Test
    void rooflineSizesInEveryPackagedImage() {
        List<String> names = KernelModules.names();
        Assumptions.assumeTrue(names != null && names.contains("roofline"),
                "kernels not packaged (built without nvcc): no images to read");
        for (int sm : KernelBuildTest.TARGETS) {
            byte[] cubin = KernelModules.image("roofline", sm);
            assertEquals(0x7f, cubin[0], "sm_" + sm + " is a cubin");
            Map<String, Integer> sizes = KernelParamSizes.of(cubin);
            assertEquals(16, sizes.get("roofline_mma"), "sm_" + sm + ": " + sizes);
            assertEquals(24, sizes.get("roofline_copy"), "sm_" + sm + ": " + sizes);
        }
        // an sm without a cubin gets the PTX, NUL-terminated
        byte[] ptx = KernelModules.image("roofline", 120);
        assertEquals(0, ptx[ptx.length - 1]);
        Map<String, Integer> sizes = KernelParamSizes.of(ptx);
        assertEquals(Map.of("roofline_mma", 16, "roofline_copy", 24), sizes);
    }

    @Test
    void everyPackagedCubinKernelHasASize() {
        List<String> names = KernelModules.names();
        Assumptions.assumeTrue(names != null, "kernels not packaged (built without nvcc)");
        for (String name : names) {
            Map<String, Integer> sizes = KernelParamSizes.of(KernelModules.image(name, 90));
            assertFalse(sizes.isEmpty(), name + ": no .nv.info parameter size found");
            sizes.values().forEach(s -> assertTrue(s > 0 && s <= 32764, name + ": " + sizes));
        }
    }

    /** The INT4 kernels all take ConvParams, 104 bytes (its static_assert, CudaInt4Extractor.PARAMS_SIZE). */
    @Test
    void int4KernelsTakeConvParamsInEveryImage() {
        List<String> names = KernelModules.names();
        Assumptions.assumeTrue(names != null && names.contains("int4_mma"),
                "kernels not packaged (built without nvcc): no images to read");
        Map<String, Integer> expected = new java.util.HashMap<>();
        for (String k : List.of("int4_conv3_s4", "int4_conv1_s4", "int4_conv3_s8", "int4_conv1_s8", "int8_input_conv3",
                "int4_kernel_prediction")) {
            expected.put(k, CudaInt4Extractor.PARAMS_SIZE);
        }
        for (int sm : KernelBuildTest.TARGETS) {
            assertEquals(expected, KernelParamSizes.of(KernelModules.image("int4_mma", sm)), "sm_" + sm);
        }
        assertEquals(expected, KernelParamSizes.of(KernelModules.image("int4_mma", 120)), "PTX");
    }

    @Test
    void ptxEntries() {
        String ptx = ".visible .entry k_a(\n\t.param .align 8 .b8 k_a_param_0[40]\n)\n{\n}\n"
                + ".visible .entry two(\n\t.param .u64 two_param_0,\n\t.param .u32 two_param_1\n)\n";
        assertEquals(Map.of("k_a", 40), KernelParamSizes.fromPtx(ptx));
        assertTrue(KernelParamSizes.of("not an image".getBytes(StandardCharsets.US_ASCII)).isEmpty());
        assertTrue(KernelParamSizes.of(new byte[] {0x7f, 'E', 'L', 'F', 2, 1}).isEmpty(), "truncated ELF");
    }
}
