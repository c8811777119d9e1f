/**
 * Weft's concurrency limits and run history in a database: a SQLite file by default, PostgreSQL for many
 * hosts. The engine finds them as a {@link dev.weft.spi.SlotStoreProvider} and a {@link
 * dev.weft.spi.RunHistoryProvider}, so applications need only put it on the path; {@link
 * dev.weft.store.JdbcSlotStore} and {@link dev.weft.store.JdbcRunHistory} are exported for those that open
 * them themselves.
 *
 * <p>Flyway has neither a module descriptor nor an {@code Automatic-Module-Name}: its module name, {@code
 * flyway.core}, comes from its jar's file name, and a build that renames that jar (a shaded jar) must keep
 * it, or use the class path.
 */
@SuppressWarnings({
    "requires-automatic", // Flyway and the PostgreSQL driver are automatic modules
    "opens" // db.migration.weft holds only SQL scripts, which javac does not count as a package
})
module dev.weft.store {
    requires transitive dev.weft; // its types appear in JdbcSlotStore's signatures
    requires java.sql;
    requires org.slf4j;
    requires com.zaxxer.hikari;
    requires org.xerial.sqlitejdbc;
    requires org.postgresql.jdbc;
    requires flyway.core;
    // Flyway, an automatic module, declares no requires: name what it needs, so that it is resolved
    requires com.fasterxml.jackson.databind;

    // Flyway reads the migration scripts through a class loader, which sees only unconditionally open packages
    opens db.migration.weft;

    exports dev.weft.store;

    provides dev.weft.spi.SlotStoreProvider with
            dev.weft.store.JdbcSlotStoreProvider;
    provides dev.weft.spi.RunHistoryProvider with
            dev.weft.store.JdbcRunHistoryProvider;
}
