package dev.weft.cli;

import dev.weft.examples.Example;
import dev.weft.examples.Examples;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;

/**
 * The {@code weft} command. Each subcommand is a class of its own in this package, listed in {@code
 * subcommands} below; a subcommand reaches what tests replace (the example registry, the store of
 * concurrency limits) through its {@link picocli.CommandLine.ParentCommand parent}, this class.
 *
 * <p>Exit codes are picocli's {@link CommandLine.ExitCode}: 0 success; 1 the program or an example failed,
 * a tag has no concurrency limit, a flow run is not in the run history, the store failed or a worker could
 * not start; 2 a usage error.
 * The commands report an error in one line on standard error; a command line that picocli cannot parse gets
 * the usage help after that line.
 */
@Command(
        name = "weft",
        description = "Prefect-style flows, tasks and task runners on the JVM.",
        scope = ScopeType.INHERIT, // help, version and width apply to every subcommand too
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ConcurrencyLimitCommand.class,
            RunsCommand.class,
            DashboardCommand.class,
            StatCommand.class,
            WorkerCommand.class,
            HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:The program, an example, a concurrency-limit or runs command failed, or a worker could not start.",
            "2:Usage error: an unknown command, option, example or class, an invalid tag or limit, or an invalid"
                    + " worker option."
        })
public final class Weft {
    private final List<Example> examples;
    private final ConcurrencyLimitCommand.Clients clients;

    Weft(List<Example> examples, ConcurrencyLimitCommand.Clients clients) {
        this.examples = List.copyOf(examples);
        this.clients = clients;
    }

    /**
     * Runs the {@code weft} command and exits the JVM with its exit code.
     *
     * @param args the command line, such as {@code demo --list}
     */
    public static void main(String[] args) {
        System.exit(commandLine(Examples.all()).execute(args));
    }

    /** Returns the {@code weft} command, ready to execute, with {@code examples} for {@code weft demo}. */
    static CommandLine commandLine(List<Example> examples) {
        return commandLine(examples, ConcurrencyLimitCommand.Clients.DEFAULT);
    }

    /**
     * Returns the {@code weft} command, ready to execute, with {@code examples} for {@code weft demo} and the
     * store of limits that {@code clients} opens for {@code weft concurrency-limit}.
     */
    static CommandLine commandLine(List<Example> examples, ConcurrencyLimitCommand.Clients clients) {
        CommandLine weft = new CommandLine(new Weft(examples, clients));
        // `weft run Main --verbose` hands --verbose to Main, as `java Main --verbose` does
        weft.getSubcommands().get("run").setStopAtPositional(true);
        return weft;
    }

    List<Example> examples() {
        return examples;
    }

    ConcurrencyLimitCommand.Clients clients() {
        return clients;
    }

    /** Returns the first line of {@code e}'s {@code toString()}: its class and message. */
    static String summary(Throwable e) {
        return e.toString().lines().findFirst().orElse(e.getClass().getName());
    }
}
