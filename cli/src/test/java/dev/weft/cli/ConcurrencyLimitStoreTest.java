package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import dev.weft.WeftClient;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft concurrency-limit} end to end on weft-store's SQLite file: each command opens the store
 * afresh and closes it, as separate {@code weft} processes would, so what one stores the next must read.
 */
@Timeout(60)
class ConcurrencyLimitStoreTest {
    /** The home that {@code --home} names. */
    @TempDir
    Path home;

    /** The home of the loaded settings, which stands in for ~/.weft. */
    @TempDir
    Path loadedHome;

    private Console.Result weft(String... args) {
        return Console.weft(new ConcurrencyLimitCommand.Clients(() -> settings(loadedHome), WeftClient::open), args);
    }

    /** Runs {@code weft concurrency-limit --home HOME ARGS}. */
    private Console.Result limits(String... args) {
        String[] line = new String[args.length + 3];
        line[0] = "concurrency-limit";
        line[1] = "--home";
        line[2] = home.toString();
        System.arraycopy(args, 0, line, 3, args.length);
        return weft(line);
    }

    private static Settings settings(Path home) {
        return new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
    }

    private static String createdId(Console.Result created) {
        assertThat(created.exitCode()).as(created.err()).isZero();
        return created.outLines().stream()
                .filter(line -> line.startsWith("  id: "))
                .map(line -> line.substring("  id: ".length()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void shouldListAndReadInLaterCommandsTheLimitsThatCreateStoredInTheHomesSqliteFile() {
        String small = createdId(limits("create", "small_instance", "10"));
        String gpu = createdId(limits("create", "gpu", "2"));

        Console.Result ls = limits("ls");
        Console.Result read = limits("read", "small_instance");

        assertThat(ls.exitCode()).isZero();
        assertThat(ls.outLines())
                .containsExactly(
                        "Tag             Concurrency Limit  Active Task Slots  Id",
                        "gpu                             2                  0  " + gpu,
                        "small_instance                 10                  0  " + small);
        assertThat(ls.err()).isEmpty();
        assertThat(read.exitCode()).isZero();
        assertThat(read.outLines())
                .hasSize(6)
                .startsWith("tag: small_instance", "concurrency_limit: 10", "id: " + small, "active_slots: []");
        assertThat(read.outLines().get(4)).matches("created: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(read.err()).isEmpty();
        assertThat(home.resolve("weft.db")).isRegularFile();
        assertThat(loadedHome.resolve("weft.db")).doesNotExist();
    }

    @Test
    void shouldChangeALimitInPlaceWhenCreatingItAgain() {
        String id = createdId(limits("create", "gpu", "2"));

        assertThat(createdId(limits("create", "gpu", "5"))).isEqualTo(id);
        assertThat(limits("read", "gpu").outLines()).contains("concurrency_limit: 5");
    }

    @Test
    void shouldShowTheRunsHoldingSlotsUntilResetFreesThem() {
        createdId(limits("create", "gpu", "2"));
        UUID run = UUID.randomUUID();
        try (SlotStore store = ServiceLoader.load(SlotStoreProvider.class)
                .findFirst()
                .orElseThrow()
                .open(settings(home))) {
            store.acquire("host-a:4242:0a1b2c3d", run, "train-9c1e2f3a-0", List.of("gpu"), Duration.ofMinutes(5));
        }

        List<String> read = limits("read", "gpu").outLines();
        assertThat(read).contains("active_slots:");
        assertThat(read.get(read.indexOf("active_slots:") + 1))
                .matches(
                        "  - train-9c1e2f3a-0 \\(pid 4242 on host-a, since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)");
        assertThat(limits("ls").outLines())
                .last()
                .asString()
                .startsWith("gpu  " + " ".repeat(16) + "2  " + " ".repeat(16) + "1  ");

        Console.Result reset = limits("reset", "gpu");

        assertThat(reset.exitCode()).isZero();
        assertThat(reset.outLines()).containsExactly("Reset active slots for concurrency limit set on the tag: gpu");
        assertThat(limits("read", "gpu").outLines()).contains("concurrency_limit: 2", "active_slots: []");
    }

    @Test
    void shouldForgetADeletedLimit() {
        createdId(limits("create", "gpu", "2"));

        Console.Result delete = limits("delete", "gpu");
        Console.Result read = limits("read", "gpu");
        Console.Result again = limits("delete", "gpu");

        assertThat(delete.exitCode()).isZero();
        assertThat(delete.outLines()).containsExactly("Deleted concurrency limit set on the tag: gpu");
        assertThat(read.exitCode()).isEqualTo(1);
        assertThat(read.errLines())
                .containsExactly("weft concurrency-limit read: No concurrency limit found for the tag: gpu");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(limits("ls").outLines()).containsExactly("Tag  Concurrency Limit  Active Task Slots  Id");
    }

    @Test
    void shouldUseTheLoadedSettingsHomeWithoutOptions() {
        Console.Result created = weft("concurrency-limit", "create", "gpu", "1");

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(loadedHome.resolve("weft.db")).isRegularFile();
        assertThat(weft("concurrency-limit", "read", "gpu").exitCode()).isZero();
    }

    @Test
    void shouldUseTheSqliteFileThatTheDatabaseUrlNames() {
        Path file = home.resolve("elsewhere.db");
        String url = "jdbc:sqlite:" + file;

        createdId(weft("concurrency-limit", "create", "gpu", "3", "--database-url", url));

        assertThat(file).isRegularFile();
        assertThat(weft("concurrency-limit", "--database-url", url, "read", "gpu")
                        .outLines())
                .contains("concurrency_limit: 3");
    }

    @Test
    void shouldReportAnUnreachableDatabaseInOneLineNamingItWithoutThePasswordAndExitCode1() {
        Console.Result result = weft(
                "concurrency-limit",
                "--database-url",
                "jdbc:postgresql://127.0.0.1:1/weft?user=weft&password=s3cret",
                "ls");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .singleElement()
                .asString()
                .startsWith("weft concurrency-limit ls: ")
                .contains("jdbc:postgresql://127.0.0.1:1/weft?user=weft&password=***")
                .doesNotContain("s3cret");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldReportAHomeWhereNoDatabaseCanBeCreatedInOneLineWithExitCode1() throws IOException {
        Path notADirectory = Files.writeString(home.resolve("file"), "not a directory");

        Console.Result result = weft("concurrency-limit", "--home", notADirectory.toString(), "ls");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .singleElement()
                .asString()
                .startsWith("weft concurrency-limit ls: ")
                .contains("jdbc:sqlite:" + notADirectory.resolve("weft.db"));
        assertThat(result.out()).isEmpty();
    }
}
