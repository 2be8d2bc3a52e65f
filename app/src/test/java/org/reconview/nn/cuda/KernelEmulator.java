package org.reconview.nn.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the CPU emulator of the CUDA kernels (kernels/emu/: the kernel sources compiled as C++ with g++, served by
 * emu_server.cpp) for one architecture into {@code app/target/kernel-emu/emu-sm<arch>}, for {@link EmulatedDevice}.
 * <p>
 * Every source compiles to its own object in parallel (the runtime once for all architectures), and an object is
 * rebuilt only when its source, any header under kernels/, or its command line changed; so is the link. Each binary is
 * checked at most once per JVM. Extra sources (the emulator's self-test kernels) give a binary of their own,
 * {@code emu-sm<arch>+<extra names>}. Objects live in {@code obj-sm<arch>/} (the runtime, arch-independent, in
 * {@code obj/}), each with the command that made it beside it ({@code .cmd}). A missing
 * g++ is a reason to skip ({@link #unavailableReason()}); a failing compile is a test failure carrying g++'s output.
 */
final class KernelEmulator {
    /** Flags of every emulator compile; why each: see kernels/emu/cuda_emu.h. */
    static final List<String> FLAGS = List.of("-std=c++20", "-O2", "-ffp-contract=off", "-fno-strict-aliasing",
            "-fwrapv");

    /** Unbounded: link tasks wait on compile tasks; the work is g++ processes, a dozen at most. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kernel-emu-build");
        t.setDaemon(true);
        return t;
    });
    /** Objects and binaries made or found up to date in this JVM, by output path. */
    private static final Map<Path, CompletableFuture<Path>> DONE = new ConcurrentHashMap<>();

    private KernelEmulator() {
    }

    /** Why the emulator cannot run here, or null when it can. */
    static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "the CUDA kernel emulator needs Linux (ucontext fibers, a fixed-address arena)";
        }
        return gxx() == null ? "g++ not on PATH: the CUDA kernel emulator cannot be built" : null;
    }

    static Path gxx() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "g++");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The emulator binary for {@code arch} (750, 800, 860, 890, 900) with the top-level kernels and any extras. */
    static Path build(int arch, Path... extraSources) {
        try {
            return start(arch, List.of(extraSources)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Error err ? err : new AssertionError(e.getCause());
        }
    }

    /** Builds several architectures' binaries at once (the first build of a JVM is mostly waiting on g++). */
    static void buildAll(List<Integer> archs, Path... extraSources) {
        List<CompletableFuture<Path>> all = archs.stream().map(a -> start(a, List.of(extraSources))).toList();
        for (CompletableFuture<Path> f : all) {
            try {
                f.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof Error err ? err : new AssertionError(e.getCause());
            }
        }
    }

    private static CompletableFuture<Path> start(int arch, List<Path> extras) {
        Path root = KernelBuildTest.root();
        Path kernels = root.resolve("kernels");
        Path out = root.resolve("app/target/kernel-emu");
        String suffix = extras.stream().map(p -> p.getFileName().toString().replaceFirst("\\.[^.]*$", ""))
                .collect(Collectors.joining("+"));
        Path binary = out.resolve("emu-sm" + arch + (suffix.isEmpty() ? "" : "+" + suffix));
        return DONE.computeIfAbsent(binary, b -> CompletableFuture.supplyAsync(() -> {
            try {
                return link(arch, kernels, out, b, extras);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, POOL));
    }

    private static Path link(int arch, Path kernels, Path out, Path binary, List<Path> extras) throws IOException {
        List<Path> cu = new ArrayList<>();
        try (Stream<Path> s = Files.list(kernels)) {
            s.filter(p -> p.toString().endsWith(".cu")).sorted().forEach(cu::add);
        }
        cu.addAll(extras);
        FileTime headers = newestHeader(kernels);
        Path archDir = out.resolve("obj-sm" + arch);
        List<String> kernelFlags = new ArrayList<>(FLAGS);
        // -include: a kernel that does not include cuda_compat.cuh itself still builds (nvcc needs no shim for it).
        kernelFlags.addAll(List.of("-DEMU_ARCH=" + arch, "-I", kernels.toString(), "-include",
                kernels.resolve("cuda_compat.cuh").toString(), "-x", "c++"));
        List<String> serverFlags = new ArrayList<>(FLAGS);
        serverFlags.addAll(List.of("-DEMU_ARCH=" + arch, "-I", kernels.resolve("emu").toString()));
        List<String> runtimeFlags = new ArrayList<>(FLAGS);
        runtimeFlags.addAll(List.of("-I", kernels.resolve("emu").toString()));

        List<CompletableFuture<Path>> objects = new ArrayList<>();
        for (Path src : cu) {
            String name = src.getFileName().toString().replaceFirst("\\.cu$", "") + ".o";
            objects.add(compile(src, archDir.resolve(name), kernelFlags, headers));
        }
        objects.add(compile(kernels.resolve("emu/emu_server.cpp"), archDir.resolve("emu_server.o"), serverFlags,
                headers));
        objects.add(compile(kernels.resolve("emu/emu_runtime.cpp"), out.resolve("obj/emu_runtime.o"), runtimeFlags,
                headers));
        List<Path> objs = new ArrayList<>();
        for (CompletableFuture<Path> o : objects) {
            objs.add(o.join());
        }
        List<String> cmd = new ArrayList<>(List.of(gxx().toString()));
        objs.forEach(o -> cmd.add(o.toString()));
        FileTime newest = headers;
        for (Path o : objs) {
            newest = max(newest, Files.getLastModifiedTime(o));
        }
        return run(cmd, binary, newest);
    }

    private static CompletableFuture<Path> compile(Path src, Path obj, List<String> flags, FileTime headers) {
        return DONE.computeIfAbsent(obj, o -> CompletableFuture.supplyAsync(() -> {
            try {
                List<String> cmd = new ArrayList<>(List.of(gxx().toString(), "-c"));
                cmd.addAll(flags);
                cmd.add(src.toString());
                return run(cmd, o, max(headers, Files.getLastModifiedTime(src)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, POOL));
    }

    /**
     * Runs {@code cmd -o output} unless {@code output} is newer than {@code inputsTime} and was made by the same
     * command (kept beside it as output.cmd). g++ writes to a temporary name that is moved into place when it succeeds,
     * so an interrupted build never leaves a current-looking output.
     */
    private static Path run(List<String> cmd, Path output, FileTime inputsTime) throws IOException {
        Path cmdFile = output.resolveSibling(output.getFileName() + ".cmd");
        String cmdLine = String.join(" ", cmd);
        if (Files.exists(output) && Files.getLastModifiedTime(output).compareTo(inputsTime) >= 0
                && Files.exists(cmdFile) && Files.readString(cmdFile).equals(cmdLine)) {
            return output;
        }
        Files.createDirectories(output.getParent());
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        List<String> full = new ArrayList<>(cmd);
        full.addAll(List.of("-o", tmp.toString()));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("g++ timed out: " + String.join(" ", full));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while building the kernel emulator", e);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("building the CUDA kernel emulator failed:\n" + String.join(" ", full) + "\n"
                    + log);
        }
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(cmdFile, cmdLine);
        return output;
    }

    /** The newest modification time of the headers (everything but .cu / .cpp sources) under kernels/. */
    private static FileTime newestHeader(Path kernels) throws IOException {
        try (Stream<Path> s = Files.walk(kernels)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().endsWith(".cu") && !p.toString().endsWith(".cpp"))
                    .map(p -> {
                        try {
                            return Files.getLastModifiedTime(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .reduce(FileTime.fromMillis(0), KernelEmulator::max);
        }
    }

    private static FileTime max(FileTime a, FileTime b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
