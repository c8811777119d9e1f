package dev.weft.cli;

import dev.weft.remote.HazelcastTaskRunner;
import dev.weft.remote.SlurmAllocation;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft run}: runs a user's flow program, as {@code java -cp PATH MAIN_CLASS ARGS} would, with
 * Weft's own classes on the class path. The program runs in this JVM, on the calling thread; {@code weft}
 * exits when its {@code main} returns.
 */
@Command(
        name = "run",
        description = {
            "Runs a flow program: the main method of MAIN_CLASS, with ARGS.",
            "Loads MAIN_CLASS from PATH, which needs only the program's own classes and libraries: Weft's classes"
                    + " (core, runners, logging) are there already. Calls its public static void main(String[])"
                    + " in this JVM, which exits when main returns."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The program's main method returned.",
            "1:The program's main method threw.",
            "2:Usage error, such as MAIN_CLASS not found or without a main method."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "PATH",
            defaultValue = ".",
            description = {
                "Jars and directories to load MAIN_CLASS from, separated by '${sys:path.separator}';"
                        + " DIR/* stands for every jar in DIR.",
                "Default: ${DEFAULT-VALUE}"
            })
    private String classpath;

    @Option(names = "--stacktrace", description = "When the program fails, prints the exception's stack trace.")
    private boolean stacktrace;

    @Option(
            names = "--slurm",
            description = "Inside a SLURM job: every HazelcastTaskRunner built without an address joins the"
                    + " job's workers (srun weft worker --slurm) instead of creating a temporary cluster.")
    private boolean slurm;

    @Parameters(
            index = "0",
            paramLabel = "MAIN_CLASS",
            description = "The program's class, such as com.example.MyFlow.")
    private String mainClass;

    @Parameters(
            index = "1..*",
            paramLabel = "ARGS",
            description = "The program's arguments; options after MAIN_CLASS are the program's too.")
    private List<String> args = List.of();

    @Override
    public Integer call() throws IOException {
        if (slurm) {
            try {
                SlurmAllocation.current();
            } catch (IllegalStateException e) {
                return usageError("--slurm: %s", e.getMessage());
            }
            System.setProperty(HazelcastTaskRunner.SLURM_PROPERTY, "true");
        }
        List<Path> entries = classPathEntries();
        try (URLClassLoader loader = new URLClassLoader("weft-run", urls(entries), Weft.class.getClassLoader())) {
            Method main;
            try {
                main = mainMethod(loader);
            } catch (ClassNotFoundException e) {
                return usageError("class %s not found on the classpath '%s'%s", mainClass, classpath, missing(entries));
            } catch (NoSuchMethodException e) {
                return usageError("class %s has no method public static void main(String[])", mainClass);
            } catch (LinkageError e) {
                return usageError("could not load class %s: %s", mainClass, Weft.summary(e));
            }
            return run(main, loader);
        }
    }

    private Method mainMethod(ClassLoader loader) throws ClassNotFoundException, NoSuchMethodException {
        Method main = Class.forName(mainClass, false, loader).getMethod("main", String[].class);
        if (!Modifier.isStatic(main.getModifiers()) || main.getReturnType() != void.class) {
            throw new NoSuchMethodException(mainClass + ".main(String[])");
        }
        // the java launcher runs the main method of a class that is not public, too
        main.setAccessible(true);
        return main;
    }

    private int run(Method main, ClassLoader loader) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // where `java` would have put the program: libraries look up its resources and services there
        thread.setContextClassLoader(loader);
        try {
            main.invoke(null, (Object) args.toArray(String[]::new));
            return ExitCode.OK;
        } catch (InvocationTargetException e) {
            return failed(e.getCause());
        } catch (ExceptionInInitializerError e) {
            return failed(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("main was made accessible", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private int failed(Throwable cause) {
        PrintWriter err = spec.commandLine().getErr();
        err.printf(
                "weft run: %s failed: %s%s%n",
                mainClass, Weft.summary(cause), stacktrace ? "" : " (--stacktrace prints the stack trace)");
        if (stacktrace) {
            cause.printStackTrace(err);
        }
        return ExitCode.SOFTWARE;
    }

    private int usageError(String format, Object... values) {
        spec.commandLine().getErr().printf("weft run: " + format + "%n", values);
        return ExitCode.USAGE;
    }

    /** The class path's entries, with each DIR/* replaced by the jars in DIR, as the java launcher does. */
    private List<Path> classPathEntries() throws IOException {
        List<Path> entries = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.equals("*") || entry.endsWith("/*") || entry.endsWith(File.separator + "*")) {
                entries.addAll(jarsIn(Path.of(entry.substring(0, entry.length() - 1))));
            } else if (!entry.isEmpty()) {
                entries.add(Path.of(entry));
            }
        }
        return entries;
    }

    private static List<Path> jarsIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f ->
                            f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .sorted()
                    .toList();
        }
    }

    private static URL[] urls(List<Path> entries) throws IOException {
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = entries.get(i).toUri().toURL();
        }
        return urls;
    }

    private static String missing(List<Path> entries) {
        List<String> missing =
                entries.stream().filter(Files::notExists).map(Path::toString).toList();
        return missing.isEmpty() ? "" : " (not found: " + String.join(", ", missing) + ")";
    }
}
