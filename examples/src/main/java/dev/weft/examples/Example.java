package dev.weft.examples;

import java.util.Objects;

/**
 * One runnable example: a Java twin of an example of the seed pages, or one of Weft's own.
 *
 * @param name a short identifier, such as {@code subflow}, used by {@code weft demo <name>}
 * @param title what it shows, in one line
 * @param source where it comes from, such as the seed page section it twins
 * @param main runs the example as its {@code main} would
 */
public record Example(String name, String title, String source, Main main) {

    /** The example's entry point. */
    @FunctionalInterface
    public interface Main {
        /**
         * Runs the example.
         *
         * @throws Exception whatever the example throws
         */
        void run() throws Exception;
    }

    /**
     * Validates the parts.
     *
     * @param name the identifier
     * @param title the one-line description
     * @param source its origin
     * @param main its entry point
     */
    public Example {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(main, "main");
    }
}
