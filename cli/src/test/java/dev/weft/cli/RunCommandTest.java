package dev.weft.cli;

import static dev.weft.cli.Console.weft;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RunCommandTest {
    /** Flow programs, compiled against Weft into {@link #classes} before the tests. */
    private static final Map<String, String> PROGRAMS = Map.of(
            "fixture/HelloFlow",
            """
            package fixture;

            import dev.weft.Flow;
            import dev.weft.SequentialTaskRunner;
            import dev.weft.Task;
            import dev.weft.Task1;

            public class HelloFlow {
                static final Task1<String, Void> SAY_HELLO =
                        Task.of("say_hello", (String name) -> { System.out.println("Hello " + name + "!"); });

                public static void main(String[] args) {
                    Flow.of("hello-flow", () -> { for (String name : args) SAY_HELLO.submit(name); })
                            .withTaskRunner(new SequentialTaskRunner())
                            .call();
                }
            }
            """,
            "fixture/Echo",
            """
            package fixture;

            class Echo {
                public static void main(String[] args) {
                    System.out.println("args: " + String.join(" ", args));
                }
            }
            """,
            "fixture/Failing",
            """
            package fixture;

            public class Failing {
                public static void main(String[] args) {
                    throw new IllegalStateException("no data in " + args[0]);
                }
            }
            """,
            "fixture/NoMain",
            """
            package fixture;

            public class NoMain {
                public void main(String[] args) {}
            }
            """);

    @TempDir
    static Path dir;

    private static Path classes;

    @BeforeAll
    static void compilePrograms() throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(dir.resolve("src"));
        classes = Files.createDirectories(dir.resolve("classes"));
        for (Map.Entry<String, String> program : PROGRAMS.entrySet()) {
            Path source = sources.resolve(program.getKey() + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, program.getValue());
        }
        String weftCore = Path.of(Flow.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        List<String> javac = Stream.concat(
                        Stream.of("-d", classes.toString(), "-cp", weftCore),
                        PROGRAMS.keySet().stream()
                                .map(name -> sources.resolve(name + ".java").toString()))
                .toList();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, javac.toArray(String[]::new)))
                .as("javac")
                .isZero();
    }

    @Test
    void shouldCallMainWithTheArgumentsAndWeftOnTheClassPath() {
        Console.Result result = weft("run", "-cp", classes.toString(), "fixture.HelloFlow", "Marvin", "Arthur");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsSubsequence(
                        "TIME | Beginning flow run 'NAME' for flow 'hello-flow'...",
                        "Hello Marvin!",
                        "Hello Arthur!",
                        "TIME | Flow run 'NAME' finished in state Completed(message='All states completed.',"
                                + " type=COMPLETED)");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void shouldPassOptionsAfterTheMainClassToTheProgram() {
        Console.Result result =
                weft("run", "--classpath", classes.toString(), "fixture.Echo", "--stacktrace", "-cp", "x");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("args: --stacktrace -cp x");
    }

    @Test
    void shouldLoadTheMainClassFromEveryJarInADirectoryWithAWildcard() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        jar(classes, lib.resolve("fixtures.jar"));

        Console.Result result = weft("run", "-cp", lib + File.separator + "*", "fixture.Echo", "from", "a", "jar");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("args: from a jar");
    }

    @Test
    void shouldReportAMissingClassInOneLineNamingTheClassPathWithExitCode2() {
        String path = classes + File.pathSeparator + dir.resolve("missing.jar");

        Console.Result result = weft("run", "-cp", path, "fixture.Nope");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly("weft run: class fixture.Nope not found on the classpath '" + path + "' (not found: "
                        + dir.resolve("missing.jar") + ")");
    }

    @Test
    void shouldReportAClassWithoutAStaticMainMethodWithExitCode2() {
        Console.Result result = weft("run", "-cp", classes.toString(), "fixture.NoMain");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly("weft run: class fixture.NoMain has no method public static void main(String[])");
    }

    @Test
    void shouldReportAThrowingMainInOneLineWithExitCode1() {
        Console.Result result = weft("run", "-cp", classes.toString(), "fixture.Failing", "input.csv");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("weft run: fixture.Failing failed: java.lang.IllegalStateException: no data in"
                        + " input.csv (--stacktrace prints the stack trace)");
    }

    @Test
    void shouldPrintTheStackTraceOfAThrowingMainWithTheStacktraceOption() {
        Console.Result result = weft("run", "--stacktrace", "-cp", classes.toString(), "fixture.Failing", "input.csv");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .first()
                .isEqualTo("weft run: fixture.Failing failed: java.lang.IllegalStateException: no data in input.csv");
        assertThat(result.err()).contains("fixture.Failing.main(Failing.java:5)");
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classes)) {
            for (Path path : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }
}
