/**
 * Reading the live counts of Weft processes from outside: each process keeps its counts in a memory-mapped
 * file, laid out as Agrona's counters, that {@link dev.weft.stat.ProcessCounters} reads without talking to
 * the process. What {@code weft stat} prints and the dashboard shows.
 */
package dev.weft.stat;
