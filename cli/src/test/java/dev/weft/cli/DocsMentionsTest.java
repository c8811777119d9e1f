package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.Examples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The docs speak only of commands and runners that exist: every {@code weft COMMAND [SUBCOMMAND]} they show
 * in code is one the {@code weft} command has, every {@code ...TaskRunner} they name is a class of the
 * repository (or Prefect's, which the seed pages name), and they name Hazelcast only once a module depends
 * on it. The pages are the README, the pages under {@code docs/} and {@code jmh/README.md}.
 */
class DocsMentionsTest {
    private static final Path ROOT = LauncherContract.REPOSITORY;

    /** Prefect's runners, which the seed pages use and the docs compare Weft's with. */
    private static final Set<String> PREFECT_RUNNERS = Set.of("DaskTaskRunner", "RayTaskRunner");

    private static final Pattern FENCED = Pattern.compile("```[^\\n]*\\n(.*?)```", Pattern.DOTALL);
    /** An inline code span: a run of backticks, the code, and a run of as many (so ``a `b` c`` is one span). */
    private static final Pattern INLINE = Pattern.compile("(`+)(.+?)(?<!`)\\1(?!`)", Pattern.DOTALL);
    /** {@code weft demo}, {@code ./weft concurrency-limit ls}; not {@code weft.jar}, {@code weft-store}. */
    private static final Pattern WEFT_COMMAND =
            Pattern.compile("(?<![\\w.-])(?:\\./)?weft((?:\\s+[a-z][a-z-]*)+)", Pattern.MULTILINE);

    private static final Pattern SHELL_COMMENT = Pattern.compile("(^|\\s)#.*$", Pattern.MULTILINE);
    private static final Pattern RUNNER = Pattern.compile("\\b([A-Z][A-Za-z]*TaskRunner)\\b");

    private static List<Page> pages;

    /** A page of the docs, with its text and the code it shows (fenced blocks and inline code). */
    private record Page(Path path, String text, List<String> code) {}

    @BeforeAll
    static void readPages() throws IOException {
        List<Path> paths = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("jmh/README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            paths.addAll(
                    files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        pages = new ArrayList<>();
        for (Path path : paths) {
            String text = Files.readString(path);
            List<String> code = new ArrayList<>();
            Matcher fenced = FENCED.matcher(text);
            while (fenced.find()) {
                // a shell comment is prose: "# finds a JDK 21+ as ./weft does"
                code.add(SHELL_COMMENT.matcher(fenced.group(1)).replaceAll(""));
            }
            Matcher inline = INLINE.matcher(FENCED.matcher(text).replaceAll(""));
            while (inline.find()) {
                code.add(inline.group(2));
            }
            pages.add(new Page(ROOT.relativize(path), text, code));
        }
    }

    @Test
    void shouldShowOnlyCommandsThatTheWeftCommandHas() {
        CommandLine weft = Weft.commandLine(Examples.all());
        List<String> shown = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Page page : pages) {
            for (String code : page.code()) {
                Matcher m = WEFT_COMMAND.matcher(code);
                while (m.find()) {
                    String words = m.group(1).strip();
                    shown.add(words);
                    if (!exists(weft, words.split("\\s+"))) {
                        unknown.add(page.path() + ": weft " + words);
                    }
                }
            }
        }

        assertThat(shown).as("weft commands shown in the docs").isNotEmpty();
        assertThat(unknown).as("commands the weft command does not have").isEmpty();
    }

    @Test
    void shouldNameOnlyTaskRunnersThatExist() throws IOException {
        Set<String> classes = new HashSet<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path sources : modules.map(module -> module.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .toList()) {
                try (Stream<Path> files = Files.walk(sources)) {
                    files.map(f -> f.getFileName().toString())
                            .filter(name -> name.endsWith("TaskRunner.java"))
                            .forEach(name -> classes.add(name.substring(0, name.length() - ".java".length())));
                }
            }
        }
        List<String> unknown = new ArrayList<>();
        for (Page page : pages) {
            Matcher m = RUNNER.matcher(page.text());
            while (m.find()) {
                if (!classes.contains(m.group(1)) && !PREFECT_RUNNERS.contains(m.group(1))) {
                    unknown.add(page.path() + ": " + m.group(1));
                }
            }
        }

        assertThat(classes).contains("SequentialTaskRunner", "ConcurrentTaskRunner", "ForkJoinTaskRunner");
        assertThat(unknown).as("runners that are neither Weft's nor Prefect's").isEmpty();
    }

    @Test
    void shouldNameHazelcastOnlyWhenAModuleDependsOnIt() throws IOException {
        boolean dependsOnHazelcast;
        try (Stream<Path> poms = Files.list(ROOT)) {
            dependsOnHazelcast = poms.map(dir -> dir.resolve("pom.xml"))
                    .filter(Files::isRegularFile)
                    .anyMatch(pom -> read(pom).contains("<groupId>com.hazelcast</groupId>"));
        }
        List<String> mentions = pages.stream()
                .filter(page -> page.text().toLowerCase().contains("hazelcast"))
                .map(page -> page.path().toString())
                .toList();

        if (!dependsOnHazelcast) {
            assertThat(mentions)
                    .as("pages that speak of a Hazelcast runner Weft does not have")
                    .isEmpty();
        }
    }

    /** Whether {@code words} name a command: each word a subcommand of the one before, until one has none. */
    private static boolean exists(CommandLine weft, String[] words) {
        CommandLine command = weft;
        for (String word : words) {
            if (command.getSubcommands().isEmpty()) {
                return true; // the rest are that command's arguments, such as an example's name
            }
            command = command.getSubcommands().get(word);
            if (command == null) {
                return false;
            }
        }
        return true;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
