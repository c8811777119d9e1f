package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The docs show a library user how to see Weft's lines as the examples print them: an SLF4J provider with
 * a version, and a {@code logback.xml} that, loaded by Logback itself, prints the seed's format, {@code
 * 13:46:58.865 | Beginning flow run ...}, with the level of warnings and errors shown ({@code 13:46:59.012 | ERROR |
 * Task run ...}), and keeps the store's HikariCP and Flyway quiet below WARN, as the
 * examples' own {@code logback.xml} does. They also show how to enable native access where the user starts
 * the JVM.
 */
class DocsLoggingTest {
    // Surefire runs in the module's directory, examples/.
    private static final Path ROOT = Path.of("..");
    private static final Path EXAMPLES_CONFIG = ROOT.resolve("examples/src/main/resources/logback.xml");
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SEED_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| (.*)");

    /** A fenced xml block of a page. */
    private record Block(Path page, String xml) {}

    @TestFactory
    Stream<DynamicTest> shouldPrintWhatTheExamplesPrintWithTheLogbackXmlOfTheDocs() throws Exception {
        List<Block> configs = blocks().stream()
                .filter(b -> b.xml().strip().startsWith("<configuration>"))
                .toList();
        List<String> examples = printed(Files.readString(EXAMPLES_CONFIG));

        assertThat(configs).as("logback.xml blocks in the docs").isNotEmpty();
        // what the test relies on: the examples print the seed's lines, and only those
        assertThat(examples)
                .containsExactly(
                        "Beginning flow run 'olivine-swan' for flow 'my-flow'...",
                        "Task run 'show-1c6a5a82-0' finished in state Completed(message=null, type=COMPLETED)",
                        "ERROR | Task run 'show-1c6a5a82-1' finished in state Failed(message='Task run encountered an"
                                + " exception: java.lang.IllegalStateException: boom', type=FAILED)",
                        "WARN | weft-store-1 - Connection is not available");
        return configs.stream()
                .map(config -> DynamicTest.dynamicTest(config.page().toString(), () -> assertThat(printed(config.xml()))
                        .as("what %s's logback.xml prints", config.page())
                        .isEqualTo(examples)));
    }

    @Test
    void shouldShowTheLogbackDependencyBesideItsConfiguration() throws IOException {
        List<Block> blocks = blocks();

        assertThat(blocks)
                .filteredOn(b -> b.xml().strip().startsWith("<configuration>"))
                .allMatch(
                        config -> blocks.stream()
                                .anyMatch(b -> b.page().equals(config.page())
                                        && b.xml().contains("<artifactId>logback-classic</artifactId>")
                                        && b.xml().contains("<version>")),
                        "has logback-classic, with a version, on its page");
    }

    @Test
    void shouldShowHowToEnableNativeAccessWhereTheUserStartsTheJvm() throws IOException {
        String docs =
                String.join("\n", pages().stream().map(DocsLoggingTest::read).toList());

        assertThat(docs)
                .contains("java --enable-native-access=ALL-UNNAMED -cp")
                .contains("<argLine>--enable-native-access=ALL-UNNAMED</argLine>")
                .contains("Enable-Native-Access: ALL-UNNAMED");
    }

    /**
     * Loads {@code xml} into a Logback context of its own, logs what a flow and the store log, and returns the
     * lines it printed, without their times, after checking that each line starts with one in the seed's
     * format.
     */
    private static List<String> printed(String xml) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // SLF4J's provider sets it on its own context
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try (InputStream in = new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))) {
            configurator.doConfigure(in);
        }
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .as("Logback's errors reading the configuration")
                .noneMatch(s -> s.getLevel() == Status.ERROR);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        int appenders = 0;
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                appender.setOutputStream(out); // instead of the console
                appenders++;
            }
        }
        assertThat(appenders).as("console appenders of the root logger").isEqualTo(1);

        context.getLogger("dev.weft.flow_runs").info("Beginning flow run 'olivine-swan' for flow 'my-flow'...");
        context.getLogger("dev.weft.task_runs").debug("Task run 'show-1c6a5a82-0' entered state Running");
        context.getLogger("dev.weft.task_runs")
                .info("Task run 'show-1c6a5a82-0' finished in state Completed(message=null, type=COMPLETED)");
        context.getLogger("dev.weft.task_runs")
                .error("Task run 'show-1c6a5a82-1' finished in state Failed(message='Task run encountered an exception:"
                        + " java.lang.IllegalStateException: boom', type=FAILED)");
        context.getLogger("com.zaxxer.hikari.HikariDataSource").info("weft-store-1 - Starting...");
        context.getLogger("com.zaxxer.hikari.pool.HikariPool").debug("weft-store-1 - Added connection");
        context.getLogger("org.flywaydb.core.FlywayExecutor").info("Database: jdbc:sqlite:weft.db (SQLite 3.50)");
        context.getLogger("com.zaxxer.hikari.pool.HikariPool").warn("weft-store-1 - Connection is not available");
        context.stop();

        List<String> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
            Matcher m = SEED_LINE.matcher(line);
            assertThat(m.matches()).as("'%s' is in the seed's format", line).isTrue();
            lines.add(m.group(1));
        }
        return lines;
    }

    private static List<Block> blocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = XML_BLOCK.matcher(Files.readString(page));
            while (m.find()) {
                blocks.add(new Block(ROOT.relativize(page), m.group(1)));
            }
        }
        return blocks;
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            pages.addAll(
                    files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        return pages;
    }

    private static String read(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
