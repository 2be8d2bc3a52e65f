package org.reconview.io;

import org.lwjgl.system.MemoryUtil;
import org.reconview.UserException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * File helpers shared by the readers and writers of this package: whole-file reads into native memory and atomic
 * writes (temporary file {@code .name.tmp-<random>} in the same folder, then an atomic rename), with I/O failures
 * turned into one-line {@link UserException}s naming the file.
 */
final class FileIo {
    private FileIo() {
    }

    /** Reads a whole file into a native buffer that the caller frees with {@link MemoryUtil#memFree}. */
    static ByteBuffer readNative(Path file) {
        if (!Files.exists(file)) {
            throw new UserException(file + ": not found");
        }
        if (Files.isDirectory(file)) {
            throw new UserException(file + ": is a folder, not a file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 64) {
                throw new UserException(file + ": too large (" + size + " bytes)");
            }
            ByteBuffer buf = MemoryUtil.memAlloc((int) Math.max(size, 1));
            try {
                buf.limit((int) size);
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        break;
                    }
                }
                buf.flip();
                return buf;
            } catch (IOException | RuntimeException e) {
                MemoryUtil.memFree(buf);
                throw e;
            }
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + reason(e) + ")");
        }
    }

    /** Reads a whole file as bytes. */
    static byte[] readBytes(Path file) {
        if (!Files.exists(file)) {
            throw new UserException(file + ": not found");
        }
        if (Files.isDirectory(file)) {
            throw new UserException(file + ": is a folder, not a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + reason(e) + ")");
        }
    }

    /** Writes {@code bytes} (position to limit, not consumed) to {@code target} atomically. */
    static void writeAtomic(Path target, ByteBuffer bytes) {
        if (Files.isDirectory(target)) {
            throw new UserException(target + ": cannot write (is a folder)");
        }
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = dir.resolve("." + abs.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        boolean created = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                created = true;
                ByteBuffer b = bytes.duplicate();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (created) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original error matters more
                }
            }
            String why = (e instanceof NoSuchFileException && !Files.isDirectory(dir))
                    ? "folder " + dir + " does not exist" : reason(e);
            throw new UserException(target + ": cannot write (" + why + ")");
        }
    }

    static void writeAtomic(Path target, byte[] bytes) {
        writeAtomic(target, ByteBuffer.wrap(bytes));
    }

    /** A short, single-line reason for an I/O failure, without class names. */
    static String reason(IOException e) {
        String r;
        if (e instanceof NoSuchFileException) {
            r = "no such file or folder";
        } else if (e instanceof AccessDeniedException) {
            r = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            r = "already exists: " + ((FileAlreadyExistsException) e).getFile();
        } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            r = ((FileSystemException) e).getReason();
        } else if (e.getMessage() != null) {
            r = e.getMessage();
        } else {
            r = e.getClass().getSimpleName();
        }
        r = oneLine(r);
        if (!r.isEmpty() && Character.isUpperCase(r.charAt(0)) && (r.length() < 2 || Character.isLowerCase(r.charAt(1)))) {
            r = r.substring(0, 1).toLowerCase(Locale.ROOT) + r.substring(1);
        }
        return r;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
