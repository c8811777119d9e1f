package dev.weft;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What makes a valid task tag: 1 to {@value #MAX_LENGTH} characters, not blank, no spaces at either end
 * (which would make {@code "db "} a limit of its own that no one sees), no control characters.
 * Tags name concurrency limits in stores shared by many processes, so the same rule holds everywhere: in
 * {@code withTags}, in an {@link Annotate} scope, in the client and on the command line.
 */
public final class Tags {
    /** The longest tag, in characters. */
    public static final int MAX_LENGTH = 255;

    private Tags() {}

    /**
     * Checks a tag.
     *
     * @param tag the tag
     * @return the tag
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String check(String tag) {
        return check(tag, false);
    }

    /**
     * Checks a tag that names a limit to read, delete or reset: any tag a store may hold, including one made
     * before the rule on spaces, so that such a limit can still be seen and removed.
     *
     * @param tag the tag
     * @return the tag
     * @throws IllegalArgumentException naming what is wrong with it, as {@link #check} does
     */
    public static String checkExisting(String tag) {
        return check(tag, true);
    }

    private static String check(String tag, boolean existing) {
        if (tag == null) {
            throw new IllegalArgumentException("A tag must not be null");
        }
        if (tag.isBlank()) {
            throw new IllegalArgumentException("A tag must not be empty");
        }
        if (!existing && !tag.strip().equals(tag)) {
            throw new IllegalArgumentException("A tag must not begin or end with spaces: '" + tag + "'");
        }
        if (tag.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "A tag must be at most " + MAX_LENGTH + " characters, not " + tag.length());
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("A tag must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at index " + i + ")");
            }
        }
        return tag;
    }

    /**
     * Checks tags and returns them in order, without repeats.
     *
     * @param tags the tags
     * @return them, checked, unmodifiable
     */
    static List<String> checkAll(String... tags) {
        Set<String> checked = new LinkedHashSet<>();
        for (String tag : tags) {
            checked.add(check(tag));
        }
        return List.copyOf(checked);
    }
}
