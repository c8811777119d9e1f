/**
 * Weft's concurrency limits in a database: {@link dev.weft.store.JdbcSlotStore} keeps tag limits and the
 * slots that task runs lease on them in a SQLite file ({@code weft.db} in Weft's home) or in PostgreSQL,
 * found by the engine through {@link dev.weft.store.JdbcSlotStoreProvider}; {@link
 * dev.weft.store.JdbcRunHistory} keeps the history of flow runs and task runs in the same database, found
 * through {@link dev.weft.store.JdbcRunHistoryProvider}.
 */
package dev.weft.store;
