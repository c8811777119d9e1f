package dev.weft.examples.testing;

import dev.weft.examples.Example;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Runs an example with {@code System.out} captured and returns what it printed, line by line: its own
 * lines and Weft's log lines alike, since logback's console appender writes through the current {@code
 * System.out}.
 *
 * <p>A {@link LineHook} sees each line as it is printed, on the printing thread and outside any lock, so
 * a hook may block that thread (to hold a task in its body, say) without stopping other threads from
 * printing. Captures must not overlap: JUnit runs this module's tests one at a time.
 */
public final class Transcript {
    static {
        // Configure logging before the first capture, so that its start-up notes never land in one.
        LoggerFactory.getILoggerFactory();
    }

    private Transcript() {}

    /**
     * What a capture sees, line by line, as the lines are printed.
     */
    @FunctionalInterface
    public interface LineHook {
        /**
         * Sees one line, on the thread that printed it.
         *
         * @param line the line, without its line separator
         * @throws InterruptedException if the hook was interrupted while it blocked
         */
        void onLine(String line) throws InterruptedException;
    }

    /**
     * Runs {@code main} with {@code System.out} captured, and restores it afterwards.
     *
     * @param main the example's entry point
     * @return the lines printed while it ran, in the order they were printed
     * @throws Exception whatever {@code main} threw
     */
    public static List<String> of(Example.Main main) throws Exception {
        return of(main, line -> {});
    }

    /**
     * Runs {@code main} with {@code System.out} captured, showing each line to {@code hook} as it is
     * printed, and restores {@code System.out} afterwards.
     *
     * @param main the example's entry point
     * @param hook sees each line; an exception it throws fails the printing thread's {@code println}
     * @return the lines printed while it ran, in the order they were printed
     * @throws Exception whatever {@code main} threw
     */
    public static List<String> of(Example.Main main, LineHook hook) throws Exception {
        PrintStream original = System.out;
        LineStream capture = new LineStream(hook);
        System.setOut(capture);
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        return capture.lines();
    }

    /**
     * Keeps only the lines that are not log lines: what the example's own code printed.
     *
     * @param transcript a transcript
     * @return the lines that do not start with a {@code HH:mm:ss.SSS | } time stamp
     */
    public static List<String> printed(List<String> transcript) {
        return transcript.stream().filter(line -> !isLogLine(line)).toList();
    }

    /**
     * Keeps only Weft's log lines, without their time stamps.
     *
     * @param transcript a transcript
     * @return the messages of the log lines
     */
    public static List<String> logged(List<String> transcript) {
        return transcript.stream()
                .filter(Transcript::isLogLine)
                .map(line -> line.substring(TIME_STAMP_LENGTH))
                .toList();
    }

    private static final int TIME_STAMP_LENGTH = "00:00:00.000 | ".length();

    private static boolean isLogLine(String line) {
        return line.matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\| .*");
    }

    /**
     * A {@code PrintStream} that splits what it is given into lines. {@code PrintStream} would hold its
     * lock while a hook runs; the methods the examples and logback use are overridden so that only the
     * line buffer is locked, and the hook runs outside it.
     */
    private static final class LineStream extends PrintStream {
        private final LineHook hook;
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        LineStream(LineHook hook) {
            super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            this.hook = hook;
        }

        synchronized List<String> lines() {
            List<String> all = new ArrayList<>(lines);
            if (!partial.isEmpty()) {
                all.add(partial.toString());
            }
            return all;
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            append(new String(buf, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void print(String s) {
            append(String.valueOf(s));
        }

        @Override
        public void print(Object obj) {
            append(String.valueOf(obj));
        }

        @Override
        public void println() {
            append(System.lineSeparator());
        }

        @Override
        public void println(String x) {
            append(x + System.lineSeparator());
        }

        @Override
        public void println(Object x) {
            append(x + System.lineSeparator());
        }

        @Override
        public void flush() {}

        private void append(String text) {
            List<String> complete = new ArrayList<>();
            synchronized (this) {
                partial.append(text);
                int end;
                while ((end = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, end);
                    complete.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                    partial.delete(0, end + 1);
                }
                lines.addAll(complete);
            }
            for (String line : complete) {
                try {
                    hook.onLine(line);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while a transcript hook held the line: " + line, e);
                }
            }
        }
    }
}
