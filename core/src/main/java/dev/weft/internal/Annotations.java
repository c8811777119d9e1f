package dev.weft.internal;

import dev.weft.Resources;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calling thread's stack of annotation scopes ({@code dev.weft.Annotate}): the priority and resources
 * that calls submitted from this thread get unless their task sets its own, and the tags they carry on top
 * of their task's.
 */
public final class Annotations {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    /**
     * How many scopes are open in the process. While none is, a task body has nothing to suspend, and the
     * thread-local is not even read: on a fresh virtual thread, reading it would make it an entry.
     */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private Annotations() {}

    /**
     * One open scope: what it sets (null for what it leaves to the scope around it).
     *
     * @param outer the scope it is nested in, or null
     * @param priority the priority it sets, or null
     * @param resources the resources it sets, or null
     * @param tags its tags and those of the scopes around it, or null when none
     * @param owner the thread that opened it
     */
    public record Scope(Scope outer, Integer priority, Resources resources, List<String> tags, Thread owner) {}

    /**
     * Opens a scope on the calling thread.
     *
     * @param priority the priority to set, or null to keep the enclosing one
     * @param resources the resources to set, or null to keep the enclosing ones
     * @param tags tags to add to the enclosing ones, checked; empty for none
     * @return the scope, to be closed with {@link #close}
     */
    public static Scope open(Integer priority, Resources resources, List<String> tags) {
        Scope outer = CURRENT.get();
        List<String> outerTags = outer == null ? null : outer.tags();
        List<String> allTags = outerTags;
        if (!tags.isEmpty()) {
            Set<String> union = new LinkedHashSet<>();
            if (outerTags != null) {
                union.addAll(outerTags);
            }
            union.addAll(tags);
            allTags = List.copyOf(union);
        }
        Scope scope = new Scope(
                outer,
                priority != null ? priority : outer == null ? null : outer.priority(),
                resources != null ? resources : outer == null ? null : outer.resources(),
                allTags,
                Thread.currentThread());
        CURRENT.set(scope);
        OPEN.incrementAndGet();
        return scope;
    }

    /**
     * Closes a scope, restoring the one around it.
     *
     * @param scope the innermost open scope of the calling thread
     * @throws IllegalStateException if it is not: scopes close on the thread that opened them, innermost
     *     first
     */
    public static void close(Scope scope) {
        if (scope.owner() != Thread.currentThread()) {
            throw new IllegalStateException("An annotation scope must be closed on the thread that opened it ("
                    + scope.owner().getName() + "), not on "
                    + Thread.currentThread().getName());
        }
        if (CURRENT.get() != scope) {
            throw new IllegalStateException("Annotation scopes must be closed innermost first; use try-with-resources");
        }
        CURRENT.set(scope.outer());
        OPEN.decrementAndGet();
    }

    /**
     * Takes the calling thread out of its scopes, for a task body that runs on it: a scope applies to
     * what is submitted in its own code, not to what a task it submits or calls submits.
     *
     * @return what to give {@link #resume}
     */
    static Scope suspend() {
        if (OPEN.get() == 0) {
            return null;
        }
        Scope scope = CURRENT.get();
        if (scope != null) {
            CURRENT.set(null);
        }
        return scope;
    }

    /** Restores what {@link #suspend} took away. */
    static void resume(Scope scope) {
        if (scope != null) {
            CURRENT.set(scope);
        }
    }

    static Integer priority() {
        Scope scope = OPEN.get() == 0 ? null : CURRENT.get();
        return scope == null ? null : scope.priority();
    }

    static Resources resources() {
        Scope scope = OPEN.get() == 0 ? null : CURRENT.get();
        return scope == null ? null : scope.resources();
    }

    static List<String> tags() {
        Scope scope = OPEN.get() == 0 ? null : CURRENT.get();
        return scope == null ? null : scope.tags();
    }
}
