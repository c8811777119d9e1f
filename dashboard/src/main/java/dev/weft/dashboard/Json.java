package dev.weft.dashboard;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * A small JSON writer: what the dashboard sends is made of strings, numbers, booleans, lists and maps, so
 * a library would bring more than it saves. Appends to one builder; commas are placed by the writer, so a
 * caller only says what comes next. Not thread-safe: one writer per document.
 */
final class Json {
    private final StringBuilder out;
    /** Whether the next value in the current object or array needs a comma before it. */
    private boolean comma;

    Json() {
        this(new StringBuilder(256));
    }

    private Json(StringBuilder out) {
        this.out = out;
    }

    Json beginObject() {
        separate();
        out.append('{');
        comma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        comma = true;
        return this;
    }

    Json beginArray() {
        separate();
        out.append('[');
        comma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        comma = true;
        return this;
    }

    /** Writes a member's name; its value follows. */
    Json name(String name) {
        separate();
        string(out, name);
        out.append(':');
        comma = false;
        return this;
    }

    Json value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            string(out, s);
        }
        comma = true;
        return this;
    }

    Json value(long n) {
        separate();
        out.append(n);
        comma = true;
        return this;
    }

    Json value(boolean b) {
        separate();
        out.append(b);
        comma = true;
        return this;
    }

    /** Writes an instant as milliseconds since the epoch, which the page's JavaScript reads as a Date. */
    Json value(Instant instant) {
        separate();
        if (instant == null) {
            out.append("null");
        } else {
            out.append(instant.toEpochMilli());
        }
        comma = true;
        return this;
    }

    Json nullValue() {
        separate();
        out.append("null");
        comma = true;
        return this;
    }

    /** Writes JSON made elsewhere as it is. */
    Json raw(String json) {
        separate();
        out.append(json);
        comma = true;
        return this;
    }

    Json strings(Collection<String> values) {
        beginArray();
        for (String v : values) {
            value(v);
        }
        return endArray();
    }

    /** Writes a map of names to counts as an object, in the map's order. */
    Json counts(Map<?, Long> counts) {
        beginObject();
        for (Map.Entry<?, Long> e : counts.entrySet()) {
            name(String.valueOf(e.getKey())).value(e.getValue());
        }
        return endObject();
    }

    Json member(String name, String value) {
        return name(name).value(value);
    }

    Json member(String name, long value) {
        return name(name).value(value);
    }

    Json member(String name, boolean value) {
        return name(name).value(value);
    }

    Json member(String name, Instant value) {
        return name(name).value(value);
    }

    private void separate() {
        if (comma) {
            out.append(',');
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * Returns a JSON string literal, quotes included.
     *
     * @param s the text
     * @return the literal
     */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        string(b, s);
        return b.toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                // '<' too, so that no text of a run can close a <script> if JSON is ever inlined in a page
                case '<' -> b.append("\\u003c");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
