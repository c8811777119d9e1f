package dev.weft.cli;

import dev.weft.Settings;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --home} and {@code --database-url}: which store the commands that open one ({@code weft
 * concurrency-limit}, {@code weft runs}) open, over the settings of the process. They go before or after
 * the subcommand.
 */
final class StoreOptions {
    @Option(
            names = "--home",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "Weft's home, which holds the SQLite file weft.db; instead of WEFT_HOME or ~/.weft.")
    private Path home;

    @Option(
            names = "--database-url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description = {
                "The store's JDBC URL; instead of WEFT_DATABASE_URL or the SQLite file in the home.",
                "Such as jdbc:postgresql://db.example.org/weft"
            })
    private String databaseUrl;

    /** Returns what is wrong with the options, or null: an empty {@code --database-url}. */
    String problem() {
        return databaseUrl != null && databaseUrl.isBlank() ? "--database-url must not be empty" : null;
    }

    /** Returns the loaded settings with the options' home and database URL, where given. */
    Settings applyTo(Settings loaded) {
        Settings settings = loaded;
        if (home != null) {
            settings = settings.withHome(home.toAbsolutePath());
        }
        if (databaseUrl != null) {
            settings = settings.withDatabaseUrl(databaseUrl.strip());
        }
        return settings;
    }
}
