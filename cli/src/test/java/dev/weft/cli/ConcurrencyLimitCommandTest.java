package dev.weft.cli;

import static dev.weft.cli.FakeSlotStore.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrencyLimit;
import dev.weft.Settings;
import dev.weft.WeftClient;
import dev.weft.spi.StoreException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code weft concurrency-limit} on a {@link FakeSlotStore}: the output, the errors and the exit codes. */
@Timeout(30)
class ConcurrencyLimitCommandTest {
    private static final String LONG_TAG = "t".repeat(256);

    @TempDir
    Path home;

    private final FakeSlotStore store = new FakeSlotStore();

    /** The settings each command opened its client on. */
    private final List<Settings> opened = new ArrayList<>();

    private Console.Result weft(String... args) {
        return Console.weft(
                new ConcurrencyLimitCommand.Clients(() -> settings(home), settings -> {
                    opened.add(settings);
                    return WeftClient.of(store);
                }),
                args);
    }

    private static Settings settings(Path home) {
        return new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
    }

    // ---- create ----------------------------------------------------------------------------------------

    @Test
    void shouldCreateALimitAndPrintItsTagLimitAndId() {
        Console.Result result = weft("concurrency-limit", "create", "small_instance", "10");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        "Created concurrency limit with properties:",
                        "  tag: small_instance",
                        "  concurrency_limit: 10",
                        "  id: 00000000-0000-0000-0000-000000000001");
        assertThat(result.err()).isEmpty();
        assertThat(store.read("small_instance")).map(ConcurrencyLimit::limit).contains(10);
    }

    @Test
    void shouldChangeTheLimitAndKeepTheIdWhenCreatingItAgain() {
        weft("concurrency-limit", "create", "small_instance", "10");

        Console.Result result = weft("concurrency-limit", "create", "small_instance", "0");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        "Created concurrency limit with properties:",
                        "  tag: small_instance",
                        "  concurrency_limit: 0",
                        "  id: 00000000-0000-0000-0000-000000000001");
        assertThat(store.readAll())
                .singleElement()
                .extracting(ConcurrencyLimit::limit)
                .isEqualTo(0);
    }

    @Test
    void shouldAcceptATagWithSpacesAndTheLongestTag() {
        String longest = "t".repeat(255);

        assertThat(weft("concurrency-limit", "create", "gpu pool", "1").exitCode())
                .isZero();
        assertThat(weft("concurrency-limit", "create", longest, "1").exitCode()).isZero();

        assertThat(store.readAll()).extracting(ConcurrencyLimit::tag).containsExactly("gpu pool", longest);
    }

    @Test
    void shouldRejectATagWithSpacesAtEitherEndButReadAndDeleteALimitMadeBeforeTheRule() {
        Console.Result create = weft("concurrency-limit", "create", "db ", "1");
        assertThat(create.exitCode()).isEqualTo(2);
        assertThat(create.errLines())
                .containsExactly("weft concurrency-limit create: A tag must not begin or end with spaces: 'db '");
        assertThat(opened).as("opened a store").isEmpty();

        store.create("db ", 3); // a store written before the rule
        assertThat(weft("concurrency-limit", "read", "db ").outLines()).contains("tag: db ");
        assertThat(weft("concurrency-limit", "delete", "db ").exitCode()).isZero();
        assertThat(store.readAll()).isEmpty();
    }

    @Test
    void shouldRejectANegativeLimitWithExitCode2WithoutOpeningTheStore() {
        Console.Result result = weft("concurrency-limit", "create", "small_instance", "-1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit create: A concurrency limit must be 0 or more, not -1");
        assertThat(result.out()).isEmpty();
        assertThat(opened).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten", "1.5", "", "0x10"})
    void shouldRejectALimitThatIsNotAWholeNumberWithExitCode2(String limit) {
        Console.Result result = weft("concurrency-limit", "create", "small_instance", limit);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit create: A concurrency limit must be a whole number, not '"
                        + limit + "'");
        assertThat(opened).isEmpty();
    }

    @Test
    void shouldRejectALimitTooLargeForAnIntWithExitCode2() {
        Console.Result result = weft("concurrency-limit", "create", "small_instance", "2147483648");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly(
                        "weft concurrency-limit create: A concurrency limit must be at most 2147483647, not 2147483648");
    }

    @Test
    void shouldRejectAMissingLimitWithExitCode2AndTheUsage() {
        Console.Result result = weft("concurrency-limit", "create", "small_instance");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).first().isEqualTo("Missing required parameter: 'LIMIT'");
        assertThat(opened).isEmpty();
    }

    // ---- bad tags, for every command that takes one -----------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"create", "delete", "read", "reset"})
    void shouldRejectAnEmptyTagWithExitCode2(String command) {
        assertBadTag(command, "", "A tag must not be empty");
        assertBadTag(command, "   ", "A tag must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "delete", "read", "reset"})
    void shouldRejectATagLongerThan255CharactersWithExitCode2(String command) {
        assertBadTag(command, LONG_TAG, "A tag must be at most 255 characters, not 256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "delete", "read", "reset"})
    void shouldRejectATagWithControlCharactersWithExitCode2(String command) {
        assertBadTag(command, "small\tinstance", "A tag must not contain control characters (found U+0009 at index 5)");
        assertBadTag(command, "gpu\u0000", "A tag must not contain control characters (found U+0000 at index 3)");
    }

    private void assertBadTag(String command, String tag, String message) {
        Console.Result result = command.equals("create")
                ? weft("concurrency-limit", command, tag, "10")
                : weft("concurrency-limit", command, tag);

        assertThat(result.exitCode()).as(command).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("weft concurrency-limit " + command + ": " + message);
        assertThat(result.out()).isEmpty();
        assertThat(opened).as("opened a store").isEmpty();
    }

    // ---- delete -----------------------------------------------------------------------------------------

    @Test
    void shouldDeleteTheLimitOnATag() {
        store.create("small_instance", 10);
        store.create("large_instance", 2);

        Console.Result result = weft("concurrency-limit", "delete", "small_instance");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Deleted concurrency limit set on the tag: small_instance");
        assertThat(result.err()).isEmpty();
        assertThat(store.readAll()).extracting(ConcurrencyLimit::tag).containsExactly("large_instance");
    }

    @Test
    void shouldReportDeletingAnUnknownTagWithExitCode1() {
        Console.Result result = weft("concurrency-limit", "delete", "nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit delete: No concurrency limit found for the tag: nope");
        assertThat(result.out()).isEmpty();
    }

    // ---- ls ---------------------------------------------------------------------------------------------

    @Test
    void shouldListTheLimitsOrderedByTagWithTheirActiveSlotCount() {
        store.create("small_instance", 10);
        store.create("gpu", 2);
        store.hold("gpu", UUID.randomUUID());
        store.hold("gpu", UUID.randomUUID());
        store.create("a tag with spaces", 1234567);

        Console.Result result = weft("concurrency-limit", "ls");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        "Tag                Concurrency Limit  Active Task Slots  Id",
                        "a tag with spaces            1234567                  0  " + id(3),
                        "gpu                                2                  2  " + id(2),
                        "small_instance                    10                  0  " + id(1));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void shouldPrintOnlyTheHeaderWhenThereAreNoLimits() {
        Console.Result result = weft("concurrency-limit", "ls");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Tag  Concurrency Limit  Active Task Slots  Id");
        assertThat(result.err()).isEmpty();
    }

    // ---- read -------------------------------------------------------------------------------------------

    @Test
    void shouldReadALimitWithTheRunsHoldingItsSlotsByNameProcessAndHost() {
        store.create("gpu", 3);
        store.hold(
                "gpu",
                UUID.randomUUID(),
                "query-24bdb5eb-2",
                "host-a:4242:0a1b2c3d",
                Instant.parse("2026-11-23T12:01:02.345Z"));
        store.hold(
                "gpu",
                UUID.randomUUID(),
                "query-24bdb5eb-3",
                "gpu-node-7.example.org:77:9f8e7d6c",
                Instant.parse("2026-11-23T12:01:03Z"));
        store.hold("gpu", UUID.randomUUID(), "by-hand", "a script", Instant.parse("2026-11-23T12:01:04Z"));

        Console.Result result = weft("concurrency-limit", "read", "gpu");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        "tag: gpu",
                        "concurrency_limit: 3",
                        "id: " + id(1),
                        "active_slots:",
                        "  - query-24bdb5eb-2 (pid 4242 on host-a, since 2026-11-23T12:01:02Z)",
                        "  - query-24bdb5eb-3 (pid 77 on gpu-node-7.example.org, since 2026-11-23T12:01:03Z)",
                        "  - by-hand (held by a script, since 2026-11-23T12:01:04Z)",
                        "created: 2026-11-23T10:15:30Z",
                        "updated: 2026-11-23T10:15:30Z");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void shouldReadALimitWithoutActiveSlotsAsAnEmptyList() {
        store.create("gpu", 0);

        Console.Result result = weft("concurrency-limit", "read", "gpu");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        "tag: gpu",
                        "concurrency_limit: 0",
                        "id: " + id(1),
                        "active_slots: []",
                        "created: 2026-11-23T10:15:30Z",
                        "updated: 2026-11-23T10:15:30Z");
    }

    @Test
    void shouldReportReadingAnUnknownTagWithExitCode1() {
        Console.Result result = weft("concurrency-limit", "read", "nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit read: No concurrency limit found for the tag: nope");
        assertThat(result.out()).isEmpty();
    }

    // ---- reset ------------------------------------------------------------------------------------------

    @Test
    void shouldResetTheActiveSlotsOfALimitAndKeepTheLimit() {
        store.create("gpu", 2);
        store.hold("gpu", UUID.randomUUID());

        Console.Result result = weft("concurrency-limit", "reset", "gpu");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Reset active slots for concurrency limit set on the tag: gpu");
        assertThat(result.err()).isEmpty();
        assertThat(store.read("gpu")).hasValueSatisfying(limit -> {
            assertThat(limit.activeSlots()).isEmpty();
            assertThat(limit.limit()).isEqualTo(2);
        });
    }

    @Test
    void shouldReportResettingAnUnknownTagWithExitCode1() {
        Console.Result result = weft("concurrency-limit", "reset", "nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit reset: No concurrency limit found for the tag: nope");
    }

    // ---- settings and the store -------------------------------------------------------------------------

    @Test
    void shouldOpenTheStoreOfTheLoadedSettingsWithoutOptions() {
        weft("concurrency-limit", "ls");

        assertThat(opened).containsExactly(settings(home));
    }

    @Test
    void shouldOverrideTheHomeAndTheDatabaseUrlBeforeOrAfterTheSubcommand(@TempDir Path other) {
        String url = "jdbc:postgresql://db.example.org/weft";

        weft("concurrency-limit", "--home", other.toString(), "ls");
        weft("concurrency-limit", "ls", "--database-url", url);

        assertThat(opened).containsExactly(settings(other), settings(home).withDatabaseUrl(url));
    }

    @Test
    void shouldRejectAnEmptyDatabaseUrlWithExitCode2() {
        Console.Result result = weft("concurrency-limit", "--database-url", " ", "ls");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("weft concurrency-limit ls: --database-url must not be empty");
        assertThat(opened).isEmpty();
    }

    @Test
    void shouldReportAnInvalidSettingWithExitCode2() {
        Console.Result result = Console.weft(
                new ConcurrencyLimitCommand.Clients(
                        () -> settings(home).withSlotWait(Settings.duration("weft.slot.wait / WEFT_SLOT_WAIT", "x")),
                        settings -> WeftClient.of(store)),
                "concurrency-limit",
                "ls");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit ls: The setting weft.slot.wait / WEFT_SLOT_WAIT must be a"
                        + " duration such as 30s, 500ms or 2m, not 'x'");
    }

    @Test
    void shouldReportAStoreThatCannotBeOpenedInOneLineWithoutThePasswordAndExitCode1() {
        String url = "jdbc:postgresql://weft:s3cr%40t@localhost:1/weft?password=s3cr%40t&ssl=false";
        Console.Result result = Console.weft(
                new ConcurrencyLimitCommand.Clients(() -> settings(home), settings -> {
                    throw new StoreException(
                            "Cannot open the store at " + settings.databaseUrl().orElseThrow()
                                    + " (user weft, password s3cr@t)\n  at the second line",
                            new ConnectException("Connection refused"));
                }),
                "concurrency-limit",
                "--database-url",
                url,
                "ls");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly(
                        "weft concurrency-limit ls: Cannot open the store at"
                                + " jdbc:postgresql://weft:***@localhost:1/weft?password=***&ssl=false (user weft, password ***)");
        assertThat(result.err()).doesNotContain("s3cr");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldMaskEveryKindOfPasswordParameter() {
        String url = "jdbc:postgresql://db/weft?user=weft&sslpassword=k3y;Password=s3cret";
        store.failWith(new StoreException("Cannot reach " + url + ": refused", null));

        Console.Result result = weft("concurrency-limit", "read", "gpu", "--database-url", url);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit read: Cannot reach"
                        + " jdbc:postgresql://db/weft?user=weft&sslpassword=***;Password=***: refused");
    }

    @Test
    void shouldNameTheDatabaseWhenTheStoresMessageDoesNot() {
        store.failWith(new StoreException("Connection refused", null));

        Console.Result result = weft("concurrency-limit", "--database-url", "jdbc:postgresql://db:1/weft", "ls");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly(
                        "weft concurrency-limit ls: the database jdbc:postgresql://db:1/weft: Connection refused");
    }

    @Test
    void shouldNameTheSqliteFileInTheHomeWhenNoDatabaseUrlIsSet() {
        store.failWith(new StoreException("database is locked", null));

        Console.Result result = weft("concurrency-limit", "create", "gpu", "1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit create: the database jdbc:sqlite:" + home.resolve("weft.db")
                        + ": database is locked");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldReportAStoreWithoutItsLibrariesInOneLineWithExitCode1() {
        Console.Result result = Console.weft(
                new ConcurrencyLimitCommand.Clients(() -> settings(home), settings -> {
                    throw new NoClassDefFoundError("org/flywaydb/core/api/FlywayException");
                }),
                "concurrency-limit",
                "ls");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit ls: the store of jdbc:sqlite:" + home.resolve("weft.db")
                        + " failed: java.lang.NoClassDefFoundError: org/flywaydb/core/api/FlywayException");
    }

    @Test
    void shouldRefuseAStoreInTheCommandsOwnMemoryWithExitCode1() {
        FakeSlotStore memory = new FakeSlotStore("memory of this process (no store on the class path)");
        Console.Result result = Console.weft(
                new ConcurrencyLimitCommand.Clients(() -> settings(home), settings -> WeftClient.of(memory)),
                "concurrency-limit",
                "create",
                "gpu",
                "1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("weft concurrency-limit create: no store of concurrency limits is on the class path,"
                        + " so they would live only in this command's memory: add dev.weft:weft-store");
        assertThat(memory.readAll()).isEmpty();
    }

    // ---- the command itself -----------------------------------------------------------------------------

    @Test
    void shouldAskForASubcommandWithExitCode2() {
        Console.Result result = weft("concurrency-limit");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).first().isEqualTo("Missing required subcommand");
    }

    @Test
    void shouldListTheSubcommandsOptionsAndExitCodesInTheHelp() {
        Console.Result result = weft("concurrency-limit", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsSubsequence(
                        "Commands:",
                        "Exit codes:",
                        "  0   Success.",
                        "  1   The tag has no limit, or the store failed or could not be reached.",
                        "  2   Usage error, such as an invalid tag or limit.")
                .anyMatch(line -> line.startsWith("      --home=DIR "))
                .anyMatch(line -> line.startsWith("      --database-url=URL "));
        for (String command : List.of("create", "delete", "ls", "read", "reset")) {
            assertThat(result.outLines()).anyMatch(line -> line.startsWith("  " + command + " "));
        }
    }
}
