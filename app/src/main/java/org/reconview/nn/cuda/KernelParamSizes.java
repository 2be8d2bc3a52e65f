package org.reconview.nn.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameter size in bytes of each kernel in a module image, so {@link DriverDevice#launch} can refuse a struct
 * whose size differs from what the kernel reads (cuLaunchKernel copies the kernel's size from the pointer it is
 * given, whatever the caller meant). Read from the image itself:
 * <ul>
 * <li>cubin (ELF): the section {@code .nv.info.<kernel>} is a list of attributes (byte format, byte attribute, then
 * for format 0x03 a 16-bit value, for 0x04 a 16-bit size and that many bytes, else 2 bytes); attribute 0x19
 * (EIATTR_CBANK_PARAM_SIZE) holds the size of the parameters. Checked against nvcc's cubins in
 * KernelParamSizesTest.</li>
 * <li>PTX: {@code .entry NAME(.param .align A .b8 NAME_param_0[N])}, the one struct parameter of RV_KERNEL.</li>
 * </ul>
 * Kernels an image does not describe this way are absent from the map (and launched unchecked).
 */
final class KernelParamSizes {
    private static final int EIATTR_CBANK_PARAM_SIZE = 0x19;
    private static final Pattern PTX_ENTRY = Pattern.compile(
            "\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(\\s*\\.param\\s+\\.align\\s+\\d+\\s+\\.b8\\s+\\1_param_0\\[(\\d+)\\]\\s*\\)");

    private KernelParamSizes() {
    }

    /** Kernel name to parameter bytes, for a cubin or (NUL-terminated or not) PTX image. */
    static Map<String, Integer> of(byte[] image) {
        if (image.length >= 4 && image[0] == 0x7f && image[1] == 'E' && image[2] == 'L' && image[3] == 'F') {
            return fromCubin(image);
        }
        return fromPtx(new String(image, StandardCharsets.US_ASCII));
    }

    static Map<String, Integer> fromPtx(String ptx) {
        Map<String, Integer> sizes = new HashMap<>();
        Matcher m = PTX_ENTRY.matcher(ptx);
        while (m.find()) {
            sizes.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return sizes;
    }

    static Map<String, Integer> fromCubin(byte[] elf) {
        Map<String, Integer> sizes = new HashMap<>();
        try {
            ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
            if (b.get(4) != 2) {   // ELFCLASS64
                return sizes;
            }
            long shoff = b.getLong(0x28);
            int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
            int shnum = Short.toUnsignedInt(b.getShort(0x3c));
            int shstrndx = Short.toUnsignedInt(b.getShort(0x3e));
            long strings = b.getLong((int) (shoff + (long) shstrndx * shentsize) + 0x18);
            for (int i = 0; i < shnum; i++) {
                int sh = (int) (shoff + (long) i * shentsize);
                String name = cString(elf, (int) (strings + Integer.toUnsignedLong(b.getInt(sh))));
                if (!name.startsWith(".nv.info.")) {
                    continue;
                }
                int offset = (int) b.getLong(sh + 0x18);
                int size = (int) b.getLong(sh + 0x20);
                Integer params = paramSize(b, offset, offset + size);
                if (params != null) {
                    sizes.put(name.substring(".nv.info.".length()), params);
                }
            }
        } catch (IndexOutOfBoundsException e) {
            // not the ELF layout expected: no sizes, the launches go unchecked
        }
        return sizes;
    }

    private static Integer paramSize(ByteBuffer b, int from, int to) {
        int i = from;
        while (i + 4 <= to) {
            int format = Byte.toUnsignedInt(b.get(i));
            int attribute = Byte.toUnsignedInt(b.get(i + 1));
            int value = Short.toUnsignedInt(b.getShort(i + 2));
            if (format == 0x03 && attribute == EIATTR_CBANK_PARAM_SIZE) {
                return value;
            }
            i += format == 0x04 ? 4 + value : 4;
        }
        return null;
    }

    private static String cString(byte[] bytes, int at) {
        int end = at;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, at, end - at, StandardCharsets.US_ASCII);
    }
}
