package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code jmh/bench} launcher: it runs {@code jmh/target/benchmarks.jar} as {@code ./weft} runs its jar,
 * with {@code -foe true}, so that a benchmark that throws fails the command (JMH alone exits 0), and with
 * native access enabled, which the JVMs that JMH forks inherit. That JMH really exits non-zero then is
 * checked on the real jar by the jmh module's {@code BenchIT}.
 */
class BenchLauncherTest extends LauncherContract {
    private static final List<Path> PAGES =
            List.of(REPOSITORY.resolve("jmh/README.md"), REPOSITORY.resolve("docs/benchmarks.md"));
    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

    @Override
    Launcher launcher() {
        return new Launcher(
                "jmh/bench",
                "jmh/target/benchmarks.jar",
                "jmh",
                "the benchmarks",
                List.of("--enable-native-access=ALL-UNNAMED"),
                List.of("-foe", "true"));
    }

    @Test
    void shouldLeaveFailOnErrorToTheCommandLineWhenItSetsIt() throws Exception {
        jdk("jdk-21", "21");

        Launch launch = launch(root, Map.of(), "IndependentTasks", "-foe", "false");

        // JMH refuses an option given twice, so the launcher's own -foe must go
        assertThat(launch.out())
                .isEqualTo("java 21 --enable-native-access=ALL-UNNAMED -jar " + jar + " IndependentTasks -foe false\n");
    }

    @Test
    void shouldRunEveryBenchmarkCommandOfTheDocsThroughTheLauncher() throws IOException {
        List<String> commands = new ArrayList<>();
        for (Path page : PAGES) {
            Matcher block = BASH_BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                block.group(1)
                        .lines()
                        .filter(line -> !line.isBlank())
                        .forEach(line -> commands.add(page + ": " + line));
            }
        }

        // a bare `java -jar jmh/target/benchmarks.jar` runs on the default java, which may be older than 21
        assertThat(commands)
                .isNotEmpty()
                .allMatch(command -> command.contains(": jmh/bench "), "runs jmh/bench")
                .noneMatch(command -> command.contains("java "));
    }
}
