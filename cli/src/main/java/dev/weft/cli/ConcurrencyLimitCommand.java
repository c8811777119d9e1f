package dev.weft.cli;

import dev.weft.ConcurrencyLimit;
import dev.weft.Settings;
import dev.weft.Tags;
import dev.weft.WeftClient;
import dev.weft.spi.StoreException;
import java.io.PrintWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code weft concurrency-limit}: Prefect's {@code prefect concurrency-limit}, on the store that {@link
 * Settings#load()} names, or that {@code --home} and {@code --database-url} name. Each subcommand opens a
 * {@link WeftClient} of its own and closes it before it returns.
 *
 * <p>Arguments are checked before the store opens: an invalid tag or limit exits 2 without touching it. An
 * unknown tag, a store that fails and a store that would only live in this process's memory exit 1. Each
 * error is one line on standard error; a database URL in it never shows its password.
 */
@Command(
        name = "concurrency-limit",
        description = {
            "Creates, lists, reads, resets and deletes tag concurrency limits.",
            "A limit of N on a tag lets at most N task runs carrying the tag run at once, in every process that"
                    + " shares the store: the SQLite file weft.db in Weft's home, or the database that"
                    + " --database-url or WEFT_DATABASE_URL names."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ConcurrencyLimitCommand.EXIT_OK,
            ConcurrencyLimitCommand.EXIT_FAILED,
            ConcurrencyLimitCommand.EXIT_USAGE
        })
final class ConcurrencyLimitCommand {
    static final String EXIT_OK = "0:Success.";
    static final String EXIT_FAILED = "1:The tag has no limit, or the store failed or could not be reached.";
    static final String EXIT_USAGE = "2:Usage error, such as an invalid tag or limit.";

    private static final String NAME = "weft concurrency-limit";
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("//[^/@?#;:]*:([^/@?#;]*)@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)[?&;][a-z]*password=([^&;#\\s]*)");

    /**
     * Where {@code weft concurrency-limit} gets its settings and how it opens a client on them: {@link
     * #DEFAULT} in the {@code weft} command, stores of their own in tests.
     *
     * @param settings the settings before the command's options apply
     * @param opener opens a client on the settings; throws {@link StoreException} if it cannot
     */
    record Clients(Supplier<Settings> settings, Function<Settings, WeftClient> opener) {
        /** This process's settings and the store they name. */
        static final Clients DEFAULT = new Clients(Settings::load, WeftClient::open);

        Clients {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(opener, "opener");
        }
    }

    @ParentCommand
    private Weft weft;

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Command(
            name = "create",
            description = {
                "Sets a limit on TAG: at most LIMIT task runs carrying TAG run at once.",
                "Setting it again changes the limit and keeps its id and active slots."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {EXIT_OK, EXIT_FAILED, EXIT_USAGE})
    int create(
            @Parameters(paramLabel = "TAG", description = "The task tag, such as small_instance.") String tag,
            @Parameters(paramLabel = "LIMIT", description = "The most runs at once: 0 or more; 0 aborts every run.")
                    String limit) {
        int concurrencyLimit;
        try {
            Tags.check(tag);
            concurrencyLimit = parseLimit(limit);
        } catch (IllegalArgumentException e) {
            return usageError("create", e.getMessage());
        }
        return withClient("create", client -> {
            UUID id = client.createConcurrencyLimit(tag, concurrencyLimit);
            out().printf(
                            "Created concurrency limit with properties:%n  tag: %s%n  concurrency_limit: %d%n  id: %s%n",
                            tag, concurrencyLimit, id);
            return ExitCode.OK;
        });
    }

    @Command(
            name = "delete",
            description = "Deletes the limit on TAG: its runs run freely from now on.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {EXIT_OK, EXIT_FAILED, EXIT_USAGE})
    int delete(@Parameters(paramLabel = "TAG", description = "The task tag.") String tag) {
        return onTag("delete", tag, client -> {
            if (!client.deleteConcurrencyLimitByTag(tag)) {
                return notFound("delete", tag);
            }
            out().printf("Deleted concurrency limit set on the tag: %s%n", tag);
            return ExitCode.OK;
        });
    }

    @Command(
            name = "ls",
            description = "Lists the limits, ordered by tag, with the number of slots held on each.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                EXIT_OK,
                "1:The store failed or could not be reached.",
                "2:Usage error, such as an invalid setting."
            })
    int ls() {
        return withClient("ls", client -> {
            table(client.readConcurrencyLimits());
            return ExitCode.OK;
        });
    }

    @Command(
            name = "read",
            description = "Shows the limit on TAG, with the task runs that hold its slots: their names, processes"
                    + " and hosts.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {EXIT_OK, EXIT_FAILED, EXIT_USAGE})
    int read(@Parameters(paramLabel = "TAG", description = "The task tag.") String tag) {
        return onTag("read", tag, client -> {
            Optional<ConcurrencyLimit> found = client.readConcurrencyLimitByTag(tag);
            if (found.isEmpty()) {
                return notFound("read", tag);
            }
            ConcurrencyLimit limit = found.get();
            PrintWriter out = out();
            out.printf("tag: %s%nconcurrency_limit: %d%nid: %s%n", limit.tag(), limit.limit(), limit.id());
            if (limit.slots().isEmpty()) {
                out.printf("active_slots: []%n");
            } else {
                out.printf("active_slots:%n");
                limit.slots().forEach(slot -> out.printf("  - %s%n", holder(slot)));
            }
            out.printf("created: %s%nupdated: %s%n", limit.created(), limit.updated());
            return ExitCode.OK;
        });
    }

    @Command(
            name = "reset",
            description =
                    "Frees every slot on TAG, whoever holds it: for slots of runs that will never give them back.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {EXIT_OK, EXIT_FAILED, EXIT_USAGE})
    int reset(@Parameters(paramLabel = "TAG", description = "The task tag.") String tag) {
        return onTag("reset", tag, client -> {
            if (!client.resetConcurrencyLimitByTag(tag)) {
                return notFound("reset", tag);
            }
            out().printf("Reset active slots for concurrency limit set on the tag: %s%n", tag);
            return ExitCode.OK;
        });
    }

    /**
     * Says who holds a slot, for people: {@code query-24bdb5eb-2 (pid 4242 on host-a, since
     * 2026-11-23T10:15:30Z)}, the time in UTC to the second.
     */
    static String holder(ConcurrencyLimit.Slot slot) {
        String since = slot.acquired().truncatedTo(ChronoUnit.SECONDS).toString();
        String who = slot.pid() > 0 ? "pid " + slot.pid() + " on " + slot.host() : "held by " + slot.host();
        return slot.runName() + " (" + who + ", since " + since + ")";
    }

    /** Prints the limits in columns, numbers right-aligned under their headers, without trailing spaces. */
    private void table(List<ConcurrencyLimit> limits) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Tag", "Concurrency Limit", "Active Task Slots", "Id"});
        for (ConcurrencyLimit limit : limits) {
            rows.add(new String[] {
                limit.tag(),
                Integer.toString(limit.limit()),
                Integer.toString(limit.activeSlots().size()),
                limit.id().toString()
            });
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        String format = "%-" + widths[0] + "s  %" + widths[1] + "s  %" + widths[2] + "s  %s%n";
        for (String[] row : rows) {
            out().printf(format, (Object[]) row);
        }
    }

    /** Checks the tag, then runs {@code call} on a client. */
    private int onTag(String command, String tag, Function<WeftClient, Integer> call) {
        try {
            Tags.checkExisting(tag); // a limit made before the rule on spaces can still be read and removed
        } catch (IllegalArgumentException e) {
            return usageError(command, e.getMessage());
        }
        return withClient(command, call);
    }

    /** Opens a client on the settings with this command's options, runs {@code call} on it and closes it. */
    private int withClient(String command, Function<WeftClient, Integer> call) {
        String problem = store.problem();
        if (problem != null) {
            return usageError(command, problem);
        }
        Settings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            // a setting in the environment or the system properties that does not parse
            return usageError(command, e.getMessage());
        }
        try (WeftClient client = weft.clients().opener().apply(settings)) {
            if (client.describe().startsWith("memory")) {
                return failed(
                        command,
                        "no store of concurrency limits is on the class path, so they would live only in this"
                                + " command's memory: add dev.weft:weft-store");
            }
            return call.apply(client);
        } catch (StoreException e) {
            return failed(command, storeError(settings, e));
        } catch (RuntimeException | LinkageError e) {
            // a store that broke its contract, or a class path without the store's libraries
            return failed(
                    command,
                    "the store of " + database(settings) + " failed: "
                            + withoutPasswords(Weft.summary(e), settings.databaseUrl()));
        }
    }

    private Settings settings() {
        return store.applyTo(weft.clients().settings().get());
    }

    /**
     * Parses LIMIT as {@link WeftClient#createConcurrencyLimit} wants it.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static int parseLimit(String text) {
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit < 0) {
                // the client's own words
                throw new IllegalArgumentException("A concurrency limit must be 0 or more, not " + limit);
            }
            return limit;
        } catch (NumberFormatException e) {
            if (text.strip().matches("\\+?\\d+")) {
                throw new IllegalArgumentException(
                        "A concurrency limit must be at most " + Integer.MAX_VALUE + ", not " + text.strip(), e);
            }
            if (text.strip().matches("-\\d+")) {
                throw new IllegalArgumentException("A concurrency limit must be 0 or more, not " + text.strip(), e);
            }
            throw new IllegalArgumentException("A concurrency limit must be a whole number, not '" + text + "'", e);
        }
    }

    /** The store's error in one line that names its database, with every password in it masked. */
    static String storeError(Settings settings, StoreException e) {
        String database = database(settings);
        String message = withoutPasswords(
                Optional.ofNullable(e.getMessage())
                        .flatMap(m -> m.lines().filter(line -> !line.isBlank()).findFirst())
                        .orElseGet(() -> Weft.summary(e.getCause() != null ? e.getCause() : e)),
                settings.databaseUrl());
        return message.contains(database) ? message : "the database " + database + ": " + message;
    }

    /** The database that the settings name, as a URL without its password. */
    static String database(Settings settings) {
        return settings.databaseUrl()
                .map(url -> withoutPasswords(url, settings.databaseUrl()))
                .orElseGet(() ->
                        "jdbc:sqlite:" + settings.home().resolve("weft.db").toAbsolutePath());
    }

    /**
     * Masks with {@code ***} each password written in {@code url}, in its user info or a {@code password=}
     * parameter, wherever it occurs in {@code text}, as written and percent-decoded.
     */
    static String withoutPasswords(String text, Optional<String> url) {
        Set<String> secrets = new LinkedHashSet<>();
        url.ifPresent(u -> {
            collect(USER_INFO_PASSWORD.matcher(u), secrets);
            collect(PASSWORD_PARAMETER.matcher(u), secrets);
        });
        String masked = text;
        // longest first, so that a password holding another is masked whole
        for (String secret : secrets.stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList()) {
            masked = masked.replace(secret, "***");
        }
        return masked;
    }

    private static void collect(Matcher matcher, Set<String> secrets) {
        while (matcher.find()) {
            String secret = matcher.group(1);
            if (!secret.isEmpty()) {
                secrets.add(secret);
                try {
                    secrets.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // not percent-encoded after all: the secret as written is masked already
                }
            }
        }
    }

    private int notFound(String command, String tag) {
        return failed(command, "No concurrency limit found for the tag: " + tag);
    }

    private int failed(String command, String message) {
        spec.commandLine().getErr().printf("%s %s: %s%n", NAME, command, message);
        return ExitCode.SOFTWARE;
    }

    private int usageError(String command, String message) {
        spec.commandLine().getErr().printf("%s %s: %s%n", NAME, command, message);
        return ExitCode.USAGE;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
