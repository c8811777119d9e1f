package dev.weft.cli;

import static dev.weft.cli.Console.weft;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeftTest {
    @Test
    void shouldPrintTheProjectVersion() {
        Console.Result result = weft("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).first().asString().matches("weft \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void shouldListTheCommandsAndTheExitCodesInTheHelp() {
        Console.Result result = weft("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsSubsequence(
                        "Commands:",
                        "Exit codes:",
                        "  0   Success.",
                        "  1   The program, an example, a concurrency-limit or runs command failed, or a",
                        "        worker could not start.",
                        "  2   Usage error: an unknown command, option, example or class, an invalid tag",
                        "        or limit, or an invalid worker option.")
                .anyMatch(line -> line.startsWith("  concurrency-limit "))
                .anyMatch(line -> line.startsWith("  demo "))
                .anyMatch(line -> line.startsWith("  run "))
                .anyMatch(line -> line.startsWith("  runs "))
                .anyMatch(line -> line.startsWith("  worker "));
    }

    @Test
    void shouldDocumentTheExitCodesOfEachCommand() {
        assertThat(weft("demo", "--help").outLines())
                .contains("Exit codes:", "  1   An example failed (the others still ran).");
        assertThat(weft("run", "--help").outLines()).contains("Exit codes:", "  1   The program's main method threw.");
        assertThat(weft("concurrency-limit", "read", "--help").outLines())
                .contains("Exit codes:", "  1   The tag has no limit, or the store failed or could not be reached.");
        assertThat(weft("concurrency-limit", "ls", "--help").outLines())
                .contains("Exit codes:", "  1   The store failed or could not be reached.");
        assertThat(weft("runs", "show", "--help").outLines())
                .contains("Exit codes:", "  1   No such flow run, or the store failed or could not be reached.");
        assertThat(weft("worker", "--help").outLines())
                .contains("Exit codes:", "  1   The worker could not start, such as on a port in use.");
    }

    @Test
    void shouldAskForACommandWithExitCode2() {
        Console.Result result = weft();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).first().isEqualTo("Missing required subcommand");
    }

    @Test
    void shouldRejectAnUnknownOptionWithExitCode2() {
        Console.Result result = weft("demo", "--nope");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).first().isEqualTo("Unknown option: '--nope'");
    }
}
