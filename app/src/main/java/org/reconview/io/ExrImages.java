package org.reconview.io;

import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.system.Pointer;
import org.lwjgl.system.libc.LibCStdlib;
import org.lwjgl.util.tinyexr.EXRChannelInfo;
import org.lwjgl.util.tinyexr.EXRHeader;
import org.lwjgl.util.tinyexr.EXRImage;
import org.lwjgl.util.tinyexr.EXRVersion;
import org.reconview.UserException;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.lwjgl.util.tinyexr.TinyEXR.*;

/**
 * OpenEXR reading and writing through LWJGL's tinyexr, to and from {@link FloatImage}.
 * <p>
 * Files are single-part scanline EXRs. Writing stores 32-bit FLOAT channels (bit-exact round trip), ZIP compressed,
 * with the channel list sorted by name as EXR requires (A, B, G, R); the image's planes are reordered to match, so
 * callers name channels in their own order. Reading returns the requested channels in the requested order, converted
 * to float (HALF, FLOAT and UINT sources), row 0 = the top row of the data window. The file is read into memory by
 * Java and decoded there, so file-system errors, truncation and corruption all become one-line
 * {@link UserException}s {@code "<file>: <problem>"}; tiled and deep files are reported as unsupported.
 * Layered channels ({@code Color.R}) and multipart files (Falcor/Mogwai, Mitsuba, Unreal AOVs, one layer per part)
 * are read by channel address, {@code CHANNEL}, {@code LAYER.CHANNEL} or {@code PART/CHANNEL} (see {@link ExrLayout});
 * multipart chunk tables are checked first as single-part ones are ({@link ExrPartsCheck}, {@link ExrChunkCheck}).
 * Writes are atomic (temporary file in the same folder, then rename).
 */
public final class ExrImages {
    private ExrImages() {
    }

    /** Writes {@code img} with one name per channel (e.g. "R","G","B","A" or "Z"), FLOAT pixels, ZIP compressed. */
    public static void write(Path file, FloatImage img, String... channelNames) {
        write(file, img, TINYEXR_PIXELTYPE_FLOAT, channelNames);
    }

    /**
     * Writes with the given pixel type in the file ({@code TINYEXR_PIXELTYPE_FLOAT} or {@code _HALF}); HALF is lossy
     * and exists for tests of the HALF read path.
     */
    static void write(Path file, FloatImage img, int filePixelType, String... channelNames) {
        int nc = img.channels;
        if (channelNames.length != nc) {
            throw new IllegalArgumentException(channelNames.length + " channel names for " + nc + " channels");
        }
        Set<String> seen = new HashSet<>();
        for (String n : channelNames) {
            if (n == null || n.isEmpty() || n.length() > 255 || !n.chars().allMatch(ch -> ch > 32 && ch < 127)) {
                throw new IllegalArgumentException("bad EXR channel name '" + n + "'");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("duplicate EXR channel name '" + n + "'");
            }
        }
        // EXR lists channels sorted by name (byte order); plane k of the file is channel order[k] of the image.
        Integer[] order = new Integer[nc];
        for (int i = 0; i < nc; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> channelNames[a].compareTo(channelNames[b]));

        int w = img.width, h = img.height, n = w * h;
        EXRHeader header = EXRHeader.calloc();
        EXRImage image = EXRImage.calloc();
        EXRChannelInfo.Buffer infos = EXRChannelInfo.calloc(nc);
        IntBuffer pixelTypes = MemoryUtil.memAllocInt(nc);
        IntBuffer requested = MemoryUtil.memAllocInt(nc);
        PointerBuffer planes = MemoryUtil.memCallocPointer(nc);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            InitEXRHeader(header);
            InitEXRImage(image);
            for (int k = 0; k < nc; k++) {
                int c = order[k];
                infos.get(k).name(stack.ASCII(channelNames[c])).pixel_type(filePixelType)
                        .x_sampling(1).y_sampling(1).p_linear((byte) 0);
                pixelTypes.put(k, TINYEXR_PIXELTYPE_FLOAT);
                requested.put(k, filePixelType);
                FloatBuffer plane = MemoryUtil.memAllocFloat(n);
                planes.put(k, plane);
                float[] d = img.data;
                for (int i = 0, j = c; i < n; i++, j += nc) {
                    plane.put(i, d[j]);
                }
            }
            header.num_channels(nc);
            header.channels(infos);
            header.pixel_types(pixelTypes);
            header.requested_pixel_types(requested);
            header.num_channels(nc);
            header.compression_type(TINYEXR_COMPRESSIONTYPE_ZIP);
            header.line_order(0);
            header.pixel_aspect_ratio(1f);
            header.screen_window_width(1f);
            header.data_window().set(0, 0, w - 1, h - 1);
            header.display_window().set(0, 0, w - 1, h - 1);
            image.images(planes);
            image.num_channels(nc).width(w).height(h);

            PointerBuffer out = stack.callocPointer(1);
            PointerBuffer err = stack.callocPointer(1);
            long size = SaveEXRImageToMemory(image, header, out, err);
            long mem = out.get(0);
            try {
                if (size == 0 || mem == 0) {
                    throw new UserException(file + ": cannot write (tinyexr: " + takeError(err, "encoding failed") + ")");
                }
                if (size > Integer.MAX_VALUE) {
                    throw new UserException(file + ": cannot write (image too large)");
                }
                FileIo.writeAtomic(file, MemoryUtil.memByteBuffer(mem, (int) size));
            } finally {
                if (mem != 0) {
                    LibCStdlib.nfree(mem);
                }
            }
        } finally {
            for (int k = 0; k < nc; k++) {
                long p = planes.get(k);
                if (p != 0) {
                    MemoryUtil.nmemFree(p);
                }
            }
            MemoryUtil.memFree(planes);
            MemoryUtil.memFree(requested);
            MemoryUtil.memFree(pixelTypes);
            infos.free();
            image.free();
            header.free();
        }
    }

    /** The channel names in the file, in the file's (sorted) order; in a multipart file {@code part/channel}. */
    public static List<String> channels(Path file) {
        try (Parsed p = Parsed.open(file, true)) {
            return p.layout.names();
        }
    }

    /**
     * The parts and channels of a file from its header(s) alone: neither the pixel data nor the chunk tables are
     * read or checked (fast; for checking a folder of files before reading them).
     */
    public static ExrLayout layout(Path file) {
        try (Parsed p = Parsed.open(file, false)) {
            return p.layout;
        }
    }

    /** The first of {@code candidates} (channel addresses, see {@link ExrLayout}) that the file has, if any. */
    public static Optional<String> findChannel(Path file, String... candidates) {
        try (Parsed p = Parsed.open(file, true)) {
            return p.layout.first(candidates);
        }
    }

    /**
     * Reads exactly {@code channelNames}, in that order, as floats; row 0 = top of the data window. Names are channel
     * addresses ({@code R}, {@code Color.R}, {@code beauty/R}: see {@link ExrLayout}); in a multipart file they may
     * come from several parts of one size.
     */
    public static FloatImage read(Path file, String... channelNames) {
        if (channelNames.length == 0) {
            throw new IllegalArgumentException("no channels requested");
        }
        try (Parsed p = Parsed.open(file, true)) {
            return p.load(channelNames);
        }
    }

    /**
     * Reads one channel, the first of {@code candidates} present (e.g. "Z", "R", "Y" for depth), as a 1-channel image;
     * the file is read once. A file with none of them is a {@code missing channel} error.
     */
    public static FloatImage readFirstChannel(Path file, String... candidates) {
        try (Parsed p = Parsed.open(file, true)) {
            Optional<String> c = p.layout.first(candidates);
            if (c.isEmpty()) {
                throw p.layout.missing(candidates);
            }
            return p.load(c.get());
        }
    }

    /**
     * Reads the channels {@code required} plus, when present, {@code optional} (a channel appended last, e.g. "A");
     * when the optional channel is missing it is filled with {@code fill}.
     */
    public static FloatImage readWithOptional(Path file, String optional, float fill, String... required) {
        try (Parsed p = Parsed.open(file, true)) {
            String[] names = Arrays.copyOf(required, required.length + 1);
            names[required.length] = optional;
            if (p.layout.find(optional).isPresent()) {
                return p.load(names);
            }
            FloatImage part = p.load(required);
            FloatImage out = new FloatImage(part.width, part.height, names.length);
            int nr = required.length, no = names.length;
            for (int i = 0, n = part.width * part.height; i < n; i++) {
                System.arraycopy(part.data, i * nr, out.data, i * no, nr);
                out.data[i * no + nr] = fill;
            }
            return out;
        }
    }

    /** Takes tinyexr's error message (freeing it), as one line; {@code fallback} when there is none. */
    private static String takeError(PointerBuffer err, String fallback) {
        long p = err.get(0);
        if (p == 0) {
            return fallback;
        }
        String s = MemoryUtil.memUTF8Safe(p);
        nFreeEXRErrorMessage(p);
        err.put(0, 0L);
        s = FileIo.oneLine(s);
        return s.isEmpty() ? fallback : s;
    }

    private static String codeText(int rc) {
        if (rc == TINYEXR_ERROR_INVALID_MAGIC_NUMBER) return "not an OpenEXR file";
        if (rc == TINYEXR_ERROR_INVALID_EXR_VERSION) return "unsupported OpenEXR version";
        if (rc == TINYEXR_ERROR_INVALID_DATA) return "corrupt or truncated data";
        if (rc == TINYEXR_ERROR_INVALID_FILE) return "corrupt or truncated file";
        if (rc == TINYEXR_ERROR_INVALID_HEADER) return "invalid header";
        if (rc == TINYEXR_ERROR_UNSUPPORTED_FORMAT) return "unsupported format";
        if (rc == TINYEXR_ERROR_UNSUPPORTED_FEATURE) return "unsupported feature";
        if (rc == TINYEXR_ERROR_DATA_TOO_LARGE) return "data too large";
        return "tinyexr error " + rc;
    }

    /**
     * A file read into native memory with its version and header(s) parsed, one {@link EXRHeader} per part (one for a
     * single-part file); frees everything on close.
     */
    private static final class Parsed implements AutoCloseable {
        private final Path file;
        private ByteBuffer bytes;
        private final EXRVersion version = EXRVersion.calloc();
        private final EXRHeader header = EXRHeader.calloc();
        private boolean headerInit;
        /** Multipart: the EXRHeader* array tinyexr allocated (each header malloc'ed too), and its length. */
        private long partArray;
        private int partCount;
        private final List<EXRHeader> headers = new ArrayList<>();
        ExrLayout layout;

        private Parsed(Path file) {
            this.file = file;
        }

        /** Opens and parses; {@code checkData}: also check the chunk tables and chunk sizes before any decoding. */
        static Parsed open(Path file, boolean checkData) {
            Parsed p = new Parsed(file);
            try {
                p.parse(checkData);
                return p;
            } catch (RuntimeException e) {
                p.close();
                throw e;
            }
        }

        private UserException fail(String problem) {
            return new UserException(file + ": " + problem);
        }

        private void parse(boolean checkData) {
            bytes = FileIo.readNative(file);
            if (bytes.remaining() < 8) {
                throw fail(bytes.remaining() >= 4 && bytes.getInt(0) == 0x01312f76
                        ? "truncated OpenEXR file (" + bytes.remaining() + " bytes)"
                        : "not an OpenEXR file (" + bytes.remaining() + " bytes)");
            }
            int rc = ParseEXRVersionFromMemory(version, bytes);
            if (rc != TINYEXR_SUCCESS) {
                throw fail(codeText(rc));
            }
            if (version.non_image()) {
                throw fail("unsupported: deep EXR");
            }
            if (version.multipart()) {
                parseParts(checkData);
                return;
            }
            if (version.tiled()) {
                throw fail("unsupported: tiled EXR");
            }
            InitEXRHeader(header);
            headerInit = true;
            try (MemoryStack stack = MemoryStack.stackPush()) {
                PointerBuffer err = stack.callocPointer(1);
                rc = ParseEXRHeaderFromMemory(header, version, bytes, err);
                if (rc != TINYEXR_SUCCESS) {
                    throw fail("invalid OpenEXR header (" + takeError(err, codeText(rc)) + ")");
                }
            }
            if (header.tiled()) {
                throw fail("unsupported: tiled EXR");
            }
            if (checkData) {
                ExrChunkCheck.check(file.toString(), bytes);
            }
            headers.add(header);
            checkChannels(header, "");
            layout = new ExrLayout(file.toString(), false, List.of(part(header)));
        }

        /** A multipart file: our own bounded walk over its headers (and tables) first, then tinyexr's. */
        private void parseParts(boolean checkData) {
            ExrPartsCheck.check(file.toString(), bytes, checkData);
            try (MemoryStack stack = MemoryStack.stackPush()) {
                PointerBuffer out = stack.callocPointer(1);
                IntBuffer count = stack.callocInt(1);
                PointerBuffer err = stack.callocPointer(1);
                int rc = ParseEXRMultipartHeaderFromMemory(out, count, version, bytes, err);
                partArray = out.get(0);
                partCount = partArray == 0 ? 0 : count.get(0);
                for (int i = 0; i < partCount; i++) {
                    headers.add(EXRHeader.create(MemoryUtil.memGetAddress(partArray + (long) i * Pointer.POINTER_SIZE)));
                }
                if (rc != TINYEXR_SUCCESS) {
                    throw fail("invalid OpenEXR header (" + takeError(err, codeText(rc)) + ")");
                }
            }
            if (headers.isEmpty()) {
                throw fail("multipart file without parts");
            }
            List<ExrLayout.Part> parts = new ArrayList<>();
            for (EXRHeader h : headers) {
                String name = h.nameString();
                if (h.tiled()) {
                    throw fail("unsupported: tiled part '" + name + "'");
                }
                checkChannels(h, " in part '" + name + "'");
                parts.add(part(h));
            }
            layout = new ExrLayout(file.toString(), true, parts);
        }

        private void checkChannels(EXRHeader h, String where) {
            int nc = h.num_channels();
            if (nc <= 0) {
                throw fail("no channels" + where);
            }
            EXRChannelInfo.Buffer ch = h.channels();
            for (int c = 0; c < nc; c++) {
                EXRChannelInfo ci = ch.get(c);
                if (ci.x_sampling() != 1 || ci.y_sampling() != 1) {
                    throw fail("unsupported: subsampled channel '" + ci.nameString() + "'" + where);
                }
            }
        }

        private static ExrLayout.Part part(EXRHeader h) {
            int nc = h.num_channels();
            EXRChannelInfo.Buffer ch = h.channels();
            List<String> names = new ArrayList<>(nc);
            for (int c = 0; c < nc; c++) {
                names.add(ch.get(c).nameString());
            }
            var dw = h.data_window();
            return new ExrLayout.Part(h.nameString(), dw.max_x() - dw.min_x() + 1, dw.max_y() - dw.min_y() + 1, names);
        }

        FloatImage load(String... wanted) {
            ExrLayout.Ref[] refs = new ExrLayout.Ref[wanted.length];
            int parts = 0;
            for (int k = 0; k < wanted.length; k++) {
                refs[k] = layout.resolve(wanted[k]);
                parts = Math.max(parts, refs[k].part() + 1);
            }
            layout.size(wanted, refs);
            // tinyexr finds the chunk tables after the headers of the parts it is given: it decodes every part.
            if (layout.multipart()) {
                parts = partCount;
            }
            for (int p = 0; p < parts; p++) {
                EXRHeader h = headers.get(p);
                List<String> names = layout.parts().get(p).channels();
                IntBuffer types = h.pixel_types();
                IntBuffer requested = h.requested_pixel_types();
                for (int c = 0; c < h.num_channels(); c++) {
                    int t = types.get(c);
                    if (t != TINYEXR_PIXELTYPE_HALF && t != TINYEXR_PIXELTYPE_FLOAT && t != TINYEXR_PIXELTYPE_UINT) {
                        throw fail("unsupported pixel type " + t + " in channel '"
                                + (layout.multipart() ? layout.parts().get(p).name() + "/" : "") + names.get(c) + "'");
                    }
                    requested.put(c, t == TINYEXR_PIXELTYPE_HALF ? TINYEXR_PIXELTYPE_FLOAT : t);
                }
            }
            EXRImage.Buffer images = EXRImage.calloc(parts);
            for (int p = 0; p < parts; p++) {
                InitEXRImage(images.get(p));
            }
            boolean loaded = false;
            try (MemoryStack stack = MemoryStack.stackPush()) {
                PointerBuffer err = stack.callocPointer(1);
                int rc = layout.multipart()
                        ? LoadEXRMultipartImageFromMemory(images, MemoryUtil.memPointerBuffer(partArray, parts), bytes,
                                err)
                        : LoadEXRImageFromMemory(images.get(0), header, bytes, err);
                if (rc != TINYEXR_SUCCESS) {
                    // tinyexr releases what it allocated on failure (not always resetting the pointers): do not free.
                    throw fail("truncated or corrupt, cannot decode (" + takeError(err, codeText(rc)) + ")");
                }
                loaded = true;
                int w = images.get(refs[0].part()).width(), h = images.get(refs[0].part()).height();
                for (ExrLayout.Ref r : refs) {
                    EXRImage image = images.get(r.part());
                    if (image.width() != w || image.height() != h || w <= 0 || h <= 0 || image.images() == null
                            || image.num_channels() != headers.get(r.part()).num_channels()) {
                        throw fail("cannot decode (unexpected image layout " + image.width() + "x" + image.height()
                                + ")");
                    }
                }
                int n = w * h, nk = wanted.length;
                float[] data = new float[n * nk];
                for (int k = 0; k < nk; k++) {
                    int c = refs[k].channel();
                    long p = images.get(refs[k].part()).images().get(c);
                    if (p == 0) {
                        throw fail("cannot decode (channel '" + wanted[k] + "' has no data)");
                    }
                    if (headers.get(refs[k].part()).requested_pixel_types().get(c) == TINYEXR_PIXELTYPE_UINT) {
                        IntBuffer b = MemoryUtil.memIntBuffer(p, n);
                        for (int i = 0, j = k; i < n; i++, j += nk) {
                            data[j] = (float) Integer.toUnsignedLong(b.get(i));
                        }
                    } else {
                        FloatBuffer b = MemoryUtil.memFloatBuffer(p, n);
                        for (int i = 0, j = k; i < n; i++, j += nk) {
                            data[j] = b.get(i);
                        }
                    }
                }
                return new FloatImage(w, h, nk, data);
            } finally {
                if (loaded) {
                    for (int p = 0; p < parts; p++) {
                        FreeEXRImage(images.get(p));
                    }
                }
                images.free();
            }
        }

        @Override
        public void close() {
            if (headerInit) {
                FreeEXRHeader(header);
                headerInit = false;
            }
            header.free();
            if (partArray != 0) {
                for (int i = 0; i < partCount; i++) {
                    EXRHeader h = headers.get(i);
                    FreeEXRHeader(h);
                    LibCStdlib.nfree(h.address());
                }
                LibCStdlib.nfree(partArray);
                partArray = 0;
            }
            headers.clear();
            version.free();
            if (bytes != null) {
                MemoryUtil.memFree(bytes);
                bytes = null;
            }
        }
    }
}
