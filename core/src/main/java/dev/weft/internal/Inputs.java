package dev.weft.internal;

import dev.weft.TaskFuture;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the futures among a call's arguments (directly, or inside a {@code Collection}, {@code Map}, object
 * array or record, to any depth up to {@link #MAX_DEPTH}) and, once they have completed, replaces them with
 * their values. A container that holds futures is rebuilt as a new one of the same kind (a list, an
 * insertion-ordered set or map, a sorted set or map with the same comparator, an array, a record of the
 * same type through its canonical constructor); one that holds none is passed through untouched.
 *
 * <p>A record is looked into when Weft may read it: any record on the class path, a public one in an
 * exported package, or one whose package is open to {@code dev.weft}. Others pass through as they are.
 */
final class Inputs {
    static final int MAX_DEPTH = 32;
    static final Node<?>[] NONE = new Node<?>[0];

    private Inputs() {}

    /** Casts a future to Weft's own implementation, rejecting others with a clear message. */
    static Node<?> node(Object future) {
        if (future instanceof Node<?> node) {
            return node;
        }
        throw new IllegalArgumentException("Not a Weft future: " + future + " ("
                + future.getClass().getName() + "); only futures returned by Weft can be passed to tasks or gathered");
    }

    /** Returns the futures among {@code args} and {@code waitFor}, in order. */
    static Node<?>[] collect(Object[] args, Node<?>[] waitFor) {
        Acc acc = null;
        for (Object arg : args) {
            acc = visit(arg, acc, 0);
        }
        return withWaitFor(acc, waitFor);
    }

    /**
     * Returns the futures among a run's arguments, as the run holds them (see {@link TaskSpec#single()}),
     * and {@code waitFor}, in order.
     */
    static Node<?>[] collect(TaskSpec spec, Object arguments, Node<?>[] waitFor) {
        return spec.single() ? withWaitFor(visit(arguments, null, 0), waitFor) : collect((Object[]) arguments, waitFor);
    }

    private static Node<?>[] withWaitFor(Acc acc, Node<?>[] waitFor) {
        if (waitFor.length > 0) {
            acc = acc == null ? new Acc() : acc;
            for (Node<?> upstream : waitFor) {
                acc.add(upstream);
            }
        }
        return acc == null ? NONE : acc.toArray();
    }

    private static Acc visit(Object value, Acc acc, int depth) {
        if (value instanceof TaskFuture<?> future) {
            (acc = acc == null ? new Acc() : acc).add(node(future));
        } else if (depth < MAX_DEPTH) {
            if (value instanceof Collection<?> collection) {
                for (Object element : collection) {
                    acc = visit(element, acc, depth + 1);
                }
            } else if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    acc = visit(e.getValue(), visit(e.getKey(), acc, depth + 1), depth + 1);
                }
            } else if (value instanceof Object[] array) {
                for (Object element : array) {
                    acc = visit(element, acc, depth + 1);
                }
            } else if (value instanceof Record record) {
                RecordShape shape = RecordShape.of(record.getClass());
                if (shape != null) {
                    for (Object component : shape.components(record)) {
                        acc = visit(component, acc, depth + 1);
                    }
                }
            }
        }
        return acc;
    }

    /** Replaces, in place, every future in {@code args} by its value. All of them must have completed. */
    static Object[] resolve(Object[] args) {
        for (int i = 0; i < args.length; i++) {
            args[i] = resolve(args[i], 0);
        }
        return args;
    }

    /**
     * Replaces every future in a run's arguments, as the run holds them (see {@link TaskSpec#single()}), by
     * its value: an array in place. All of them must have completed.
     */
    static Object resolve(TaskSpec spec, Object arguments) {
        return spec.single() ? resolve(arguments, 0) : resolve((Object[]) arguments);
    }

    private static Object resolve(Object value, int depth) {
        if (value instanceof Node<?> node) {
            return node.resultNow();
        }
        if (depth >= MAX_DEPTH || !holdsFuture(value, depth)) {
            return value;
        }
        int next = depth + 1;
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy =
                    map instanceof SortedMap<?, ?> sorted ? new TreeMap<>(comparator(sorted)) : new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(resolve(e.getKey(), next), resolve(e.getValue(), next));
            }
            return copy;
        }
        if (value instanceof Record record) {
            RecordShape shape = RecordShape.of(record.getClass());
            Object[] components = shape.components(record);
            for (int i = 0; i < components.length; i++) {
                components[i] = resolve(components[i], next);
            }
            return shape.make(components);
        }
        if (value instanceof Object[] array) {
            Class<?> component = array.getClass().getComponentType();
            Object[] copy = TaskFuture.class.isAssignableFrom(component)
                    ? new Object[array.length]
                    : (Object[]) Array.newInstance(component, array.length);
            for (int i = 0; i < array.length; i++) {
                copy[i] = resolve(array[i], next);
            }
            return copy;
        }
        Collection<?> collection = (Collection<?>) value;
        Collection<Object> copy;
        if (collection instanceof SortedSet<?> sorted) {
            copy = new TreeSet<>(comparator(sorted));
        } else if (collection instanceof Set<?>) {
            copy = new LinkedHashSet<>();
        } else {
            copy = new ArrayList<>(collection.size());
        }
        for (Object element : collection) {
            copy.add(resolve(element, next));
        }
        return copy;
    }

    private static boolean holdsFuture(Object value, int depth) {
        return (value instanceof Collection<?>
                        || value instanceof Map<?, ?>
                        || value instanceof Object[]
                        || value instanceof Record)
                && visit(value, null, depth) != null;
    }

    @SuppressWarnings("unchecked")
    private static Comparator<Object> comparator(SortedSet<?> set) {
        return (Comparator<Object>) set.comparator();
    }

    @SuppressWarnings("unchecked")
    private static Comparator<Object> comparator(SortedMap<?, ?> map) {
        return (Comparator<Object>) map.comparator();
    }

    /** How to read a record type's components and make one from them; null where Weft may not. */
    private record RecordShape(MethodHandle[] accessors, MethodHandle constructor) {
        private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
            @Override
            protected RecordShape computeValue(Class<?> type) {
                return shapeOf(type);
            }
        };

        static RecordShape of(Class<?> type) {
            return SHAPES.get(type);
        }

        private static RecordShape shapeOf(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            MethodHandle[] accessors = new MethodHandle[components.length];
            try {
                MethodHandles.Lookup lookup = lookup(type);
                for (int i = 0; i < components.length; i++) {
                    types[i] = components[i].getType();
                    accessors[i] = lookup.unreflect(components[i].getAccessor());
                }
                return new RecordShape(
                        accessors, lookup.findConstructor(type, MethodType.methodType(void.class, types)));
            } catch (ReflectiveOperationException | IllegalArgumentException | SecurityException e) {
                return null; // not open to Weft: its futures, if any, cannot be seen
            }
        }

        /** A lookup that may read the record: private where its package is open to Weft, else public. */
        private static MethodHandles.Lookup lookup(Class<?> type) {
            Module weft = Inputs.class.getModule();
            Module theirs = type.getModule();
            if (theirs.isOpen(type.getPackageName(), weft)) {
                weft.addReads(theirs);
                try {
                    return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                } catch (IllegalAccessException e) {
                    // fall through to what is public
                }
            }
            return MethodHandles.publicLookup();
        }

        Object[] components(Record record) {
            Object[] values = new Object[accessors.length];
            try {
                for (int i = 0; i < accessors.length; i++) {
                    values[i] = accessors[i].invoke(record);
                }
            } catch (Throwable t) {
                throw new IllegalArgumentException(
                        "Cannot read record " + record.getClass().getName() + ": " + t, t);
            }
            return values;
        }

        Object make(Object[] components) {
            try {
                return constructor.invokeWithArguments(components);
            } catch (RuntimeException | Error e) {
                throw e; // the record's own validation refused the values
            } catch (Throwable t) {
                throw new IllegalArgumentException(
                        "Cannot make record " + constructor.type().returnType().getName()
                                + " with its futures' values: " + t,
                        t);
            }
        }
    }

    /** A small growable array of futures, made only when a call has one. */
    private static final class Acc {
        private Node<?>[] items = new Node<?>[4];
        private int size;

        void add(Node<?> node) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = node;
        }

        Node<?>[] toArray() {
            return size == items.length ? items : Arrays.copyOf(items, size);
        }
    }
}
