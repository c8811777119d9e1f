/**
 * The {@code weft} command line: {@link dev.weft.cli.Weft} and its subcommands, one class each. Built
 * into {@code cli/target/weft.jar}, which the {@code ./weft} launcher at the repository's root runs.
 */
package dev.weft.cli;
