package dev.weft.cli;

import dev.weft.examples.Example;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code weft demo}: runs examples from the registry, one after the other, and shows their logs. */
@Command(
        name = "demo",
        description = {
            "Runs Weft's examples and shows their output and logs.",
            "The examples are the Java twins of the examples on Prefect's task-runner pages. Without NAME, runs"
                    + " every example, in order."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Every example completed.",
            "1:An example failed (the others still ran).",
            "2:Usage error, such as an unknown example name."
        })
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    private Weft weft;

    @Spec
    private CommandSpec spec;

    @Option(names = "--list", description = "Lists the examples' names and titles instead of running them.")
    private boolean list;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "An example to run (see --list).")
    private List<String> names = List.of();

    @Override
    public Integer call() {
        List<Example> named = new ArrayList<>();
        for (String name : names) {
            Optional<Example> example = named(name);
            if (example.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .printf("weft demo: unknown example '%s'; the examples are: %s%n", name, knownNames());
                return ExitCode.USAGE;
            }
            named.add(example.get());
        }
        List<Example> examples = names.isEmpty() ? weft.examples() : named;
        if (list) {
            list(examples);
            return ExitCode.OK;
        }
        return run(examples);
    }

    private Optional<Example> named(String name) {
        return weft.examples().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    private String knownNames() {
        List<String> known = weft.examples().stream().map(Example::name).toList();
        return known.isEmpty() ? "(none)" : String.join(", ", known);
    }

    private void list(List<Example> examples) {
        int width = examples.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (Example example : examples) {
            spec.commandLine().getOut().printf("%-" + width + "s  %s%n", example.name(), example.title());
        }
    }

    private int run(List<Example> examples) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Example example = examples.get(i);
            if (i > 0) {
                out.println();
            }
            out.printf("== %s [%s]%n   source: %s%n%n", example.title(), example.name(), example.source());
            // the example writes to System.out itself: the header must be out before it starts
            out.flush();
            try {
                example.main().run();
            } catch (Exception e) {
                failed.add(example.name());
                err.printf("weft demo: example '%s' failed: %s%n", example.name(), Weft.summary(e));
                err.flush();
            }
        }
        if (failed.isEmpty()) {
            return ExitCode.OK;
        }
        err.printf(
                "weft demo: %d of %d examples failed: %s%n", failed.size(), examples.size(), String.join(", ", failed));
        return ExitCode.SOFTWARE;
    }
}
