package dev.weft.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory, shared by a driver on a login node and the workers of its SLURM jobs, where each worker says
 * where it listens: one file per worker, {@code <name>.member}, holding {@code host:port}. A worker that
 * starts joins those it finds there; the driver connects to them.
 */
final class Rendezvous {
    private static final String SUFFIX = ".member";

    private Rendezvous() {}

    static String fileName(String worker) {
        return worker.replaceAll("[^A-Za-z0-9._@-]", "_") + SUFFIX;
    }

    /** Writes a worker's address, whole or not at all (a reader never sees half of it). */
    static void write(Path file, String address) {
        try {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, address + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the worker's address to " + file, e);
        }
    }

    /** Reads the addresses of the workers in the directory; none if it has none, or does not exist. */
    static List<String> read(Path directory) {
        List<String> addresses = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return addresses;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .sorted()
                    .toList()) {
                try {
                    String a = Files.readString(f, StandardCharsets.UTF_8).strip();
                    if (!a.isEmpty()) {
                        addresses.add(a);
                    }
                } catch (IOException e) {
                    // gone meanwhile: its worker stopped
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the workers in " + directory, e);
        }
        return addresses;
    }

    /**
     * Returns the address this host's workers listen on: where the node's name resolves ({@code
     * SLURMD_NODENAME} in a job), else where the host's name does.
     */
    static String ownAddress() {
        String node = System.getenv("SLURMD_NODENAME");
        try {
            return node != null
                    ? InetAddress.getByName(node).getHostAddress()
                    : InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("This host's name does not resolve to an address; Weft's workers"
                    + " listen on the address of their node's name");
        }
    }
}
