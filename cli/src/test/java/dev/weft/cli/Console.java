package dev.weft.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.weft.WeftClient;
import dev.weft.examples.Example;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the weft command in this JVM and captures what it prints. Not thread-safe: it swaps System.out. */
final class Console {
    private Console() {}

    /** What one command printed. */
    record Result(int exitCode, String out, String err) {
        /** Standard output's lines, with log times replaced by TIME and the random flow run names by NAME. */
        List<String> outLines() {
            return out.lines()
                    .map(line -> line.replaceFirst("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| ", "TIME | ")
                            .replaceAll("(?i)(flow run )'[^']+'", "$1'NAME'"))
                    .toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** Where {@code weft concurrency-limit} finds its store unless a test gives one: nowhere, never ~/.weft. */
    private static final ConcurrencyLimitCommand.Clients NO_STORE = new ConcurrencyLimitCommand.Clients(
            () -> {
                throw new IllegalStateException("a test of weft concurrency-limit passes its own Clients");
            },
            WeftClient::open);

    static Result weft(String... args) {
        return weft(List.of(), args);
    }

    static Result weft(List<Example> examples, String... args) {
        return weft(examples, NO_STORE, args);
    }

    static Result weft(ConcurrencyLimitCommand.Clients clients, String... args) {
        return weft(List.of(), clients, args);
    }

    private static Result weft(List<Example> examples, ConcurrencyLimitCommand.Clients clients, String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // examples, programs and the log appender write to System.out themselves, so it is swapped too
        System.setOut(new PrintStream(out, true, UTF_8));
        System.setErr(new PrintStream(err, true, UTF_8));
        try {
            CommandLine weft = Weft.commandLine(examples, clients)
                    .setOut(new PrintWriter(System.out, true))
                    .setErr(new PrintWriter(System.err, true));
            int exitCode = weft.execute(args);
            System.out.flush();
            System.err.flush();
            return new Result(exitCode, out.toString(UTF_8), err.toString(UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
