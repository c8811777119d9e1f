package dev.weft;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Amounts of named, abstract resources, such as {@code GPU=1, process=1}: what a worker of a task runner
 * has, or what a call needs. As in Dask, resources mean what you say they mean; nothing is inferred from
 * the machine. A call runs on a worker whose free resources cover what it needs; they are reserved for it
 * while it runs.
 *
 * <p>Amounts are non-negative and may be fractional, to a millionth ({@code memory=0.5}). A zero amount
 * is no amount: {@code Resources.of(Map.of("GPU", 0))} is {@link #NONE}. Instances are immutable.
 */
public final class Resources {
    /** No resources: what a call needs by default. */
    public static final Resources NONE = new Resources(new String[0], new long[0]);

    /** Amounts are kept in millionths, so that reservations are exact integer arithmetic. */
    private static final long MICROS = 1_000_000L;

    private final String[] names; // sorted
    private final long[] micros; // > 0, one per name

    private Resources(String[] names, long[] micros) {
        this.names = names;
        this.micros = micros;
    }

    /**
     * Returns the resources of a map of names to amounts.
     *
     * @param amounts such as {@code Map.of("GPU", 1, "process", 1)}
     * @return the resources
     * @throws IllegalArgumentException naming the entry, for a blank name or an amount that is negative,
     *     not finite, or finer than a millionth
     */
    public static Resources of(Map<String, ? extends Number> amounts) {
        Objects.requireNonNull(amounts, "amounts");
        TreeMap<String, Long> sorted = new TreeMap<>();
        for (Map.Entry<String, ? extends Number> e : amounts.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("A resource needs a name, not '" + name + "'");
            }
            long value = micros(name, e.getValue());
            if (value > 0) {
                sorted.put(name, value);
            }
        }
        if (sorted.isEmpty()) {
            return NONE;
        }
        String[] names = sorted.keySet().toArray(String[]::new);
        long[] values = sorted.values().stream().mapToLong(Long::longValue).toArray();
        return new Resources(names, values);
    }

    /**
     * Returns one resource.
     *
     * @param name such as {@code GPU}
     * @param amount such as {@code 1}
     * @return the resources
     * @throws IllegalArgumentException as {@link #of(Map)}
     */
    public static Resources of(String name, Number amount) {
        return of(Map.of(name, amount));
    }

    private static long micros(String name, Number amount) {
        if (amount == null) {
            throw new IllegalArgumentException("Resource '" + name + "' needs an amount");
        }
        double value = amount.doubleValue();
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(
                    "Resource '" + name + "' must be a finite amount of zero or more, not " + amount);
        }
        BigDecimal exact = new BigDecimal(amount.toString()).movePointRight(6);
        if (exact.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(
                    "Resource '" + name + "' has " + amount + "; amounts go down to a millionth");
        }
        return exact.longValueExact();
    }

    /**
     * Returns whether there are no resources.
     *
     * @return true for {@link #NONE}
     */
    public boolean isEmpty() {
        return names.length == 0;
    }

    /**
     * Returns the amount of one resource.
     *
     * @param name the resource
     * @return its amount, or 0
     */
    public double amount(String name) {
        int i = Arrays.binarySearch(names, name);
        return i < 0 ? 0 : (double) micros[i] / MICROS;
    }

    /**
     * Returns the amounts, by name in alphabetical order.
     *
     * @return an unmodifiable map
     */
    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], (double) micros[i] / MICROS);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * Returns whether {@code capacity} has at least this much of every resource.
     *
     * @param capacity what is available
     * @return whether these resources fit in it
     */
    public boolean fitsIn(Resources capacity) {
        for (int i = 0; i < names.length; i++) {
            int j = Arrays.binarySearch(capacity.names, names[i]);
            if (j < 0 || capacity.micros[j] < micros[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Resources r && Arrays.equals(names, r.names) && Arrays.equals(micros, r.micros);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(micros);
    }

    /**
     * Prints the resources as {@code {GPU=1, process=1}}, or {@code {}}.
     *
     * @return the printed resources
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(names[i])
                    .append('=')
                    .append(BigDecimal.valueOf(micros[i], 6)
                            .stripTrailingZeros()
                            .toPlainString());
        }
        return b.append('}').toString();
    }
}
