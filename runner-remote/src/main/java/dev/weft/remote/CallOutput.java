package dev.weft.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What a call prints on a worker, kept to go back with its outcome and be printed where its flow runs, as
 * Dask forwards its workers' prints: this JVM's standard output and error become streams that write, on a
 * thread running a call, to that call's buffers, and everywhere else to where they wrote before.
 */
final class CallOutput {
    private static final ThreadLocal<ByteArrayOutputStream[]> CAPTURED = new ThreadLocal<>();
    private static boolean installed;

    private CallOutput() {}

    /** Routes {@code System.out} and {@code System.err} through the calls' buffers; once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        System.setOut(new PrintStream(new Routing(System.out, 0), true));
        System.setErr(new PrintStream(new Routing(System.err, 1), true));
    }

    /** Starts keeping what this thread prints. */
    static void begin() {
        CAPTURED.set(new ByteArrayOutputStream[] {new ByteArrayOutputStream(), new ByteArrayOutputStream()});
    }

    /**
     * Stops keeping what this thread prints, and returns it.
     *
     * @return standard output's bytes, then standard error's
     */
    static byte[][] end() {
        ByteArrayOutputStream[] kept = CAPTURED.get();
        CAPTURED.remove();
        System.out.flush();
        System.err.flush();
        return kept == null
                ? new byte[][] {new byte[0], new byte[0]}
                : new byte[][] {kept[0].toByteArray(), kept[1].toByteArray()};
    }

    /** Writes to the current call's buffer, if this thread runs one, else to the stream it replaced. */
    private static final class Routing extends OutputStream {
        private final PrintStream original;
        private final int which;

        Routing(PrintStream original, int which) {
            this.original = original;
            this.which = which;
        }

        private OutputStream target() {
            ByteArrayOutputStream[] kept = CAPTURED.get();
            return kept != null ? kept[which] : original;
        }

        @Override
        public void write(int b) throws IOException {
            target().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target().write(b, off, len);
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
