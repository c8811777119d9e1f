package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.Retries;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a task carries besides its function: runs to wait for, tags, retries, a timeout, and, when set, a
 * priority and the resources its calls need. Unset priority and resources come from the current {@link
 * Annotations} scope, then from the defaults (priority 0, no resources); tags add up: a call carries its
 * task's tags and its scopes'.
 *
 * @param waitFor runs every call waits for
 * @param priority the priority, or null when not set
 * @param resources the resources, or null when not set
 * @param tags the task's own tags, checked, without repeats
 * @param retries how failed tries are retried
 * @param timeout how long a try may run, or null for no limit
 */
public record CallOptions(
        Node<?>[] waitFor,
        Integer priority,
        Resources resources,
        List<String> tags,
        Retries retries,
        Duration timeout) {
    private static final String[] NO_TAGS = new String[0];

    /** No options. */
    public static final CallOptions NONE = new CallOptions(Inputs.NONE, null, null, List.of(), Retries.NONE, null);

    /**
     * Returns these options with more runs to wait for.
     *
     * @param upstream the runs
     * @return the options
     */
    public CallOptions plusWaitFor(Node<?>[] upstream) {
        Node<?>[] all = Arrays.copyOf(waitFor, waitFor.length + upstream.length);
        System.arraycopy(upstream, 0, all, waitFor.length, upstream.length);
        return new CallOptions(all, priority, resources, tags, retries, timeout);
    }

    /**
     * Returns these options with a priority.
     *
     * @param newPriority the priority
     * @return the options
     */
    public CallOptions withPriority(int newPriority) {
        return new CallOptions(waitFor, newPriority, resources, tags, retries, timeout);
    }

    /**
     * Returns these options with resources.
     *
     * @param newResources the resources
     * @return the options
     */
    public CallOptions withResources(Resources newResources) {
        return new CallOptions(waitFor, priority, newResources, tags, retries, timeout);
    }

    /**
     * Returns these options with more tags.
     *
     * @param more tags, already checked
     * @return the options
     */
    public CallOptions plusTags(List<String> more) {
        Set<String> all = new LinkedHashSet<>(tags);
        all.addAll(more);
        return new CallOptions(waitFor, priority, resources, List.copyOf(all), retries, timeout);
    }

    /**
     * Returns these options with a retry policy.
     *
     * @param newRetries the policy
     * @return the options
     */
    public CallOptions withRetries(Retries newRetries) {
        return new CallOptions(waitFor, priority, resources, tags, newRetries, timeout);
    }

    /**
     * Returns these options with a timeout for each try.
     *
     * @param newTimeout more than zero
     * @return the options
     */
    public CallOptions withTimeout(Duration newTimeout) {
        return new CallOptions(waitFor, priority, resources, tags, retries, newTimeout);
    }

    int effectivePriority() {
        if (priority != null) {
            return priority;
        }
        Integer scoped = Annotations.priority();
        return scoped == null ? 0 : scoped;
    }

    Resources effectiveResources() {
        if (resources != null) {
            return resources;
        }
        Resources scoped = Annotations.resources();
        return scoped == null ? Resources.NONE : scoped;
    }

    String[] effectiveTags() {
        List<String> scoped = Annotations.tags();
        if (scoped == null || scoped.isEmpty()) {
            return tags.isEmpty() ? NO_TAGS : tags.toArray(NO_TAGS);
        }
        if (tags.isEmpty()) {
            return scoped.toArray(NO_TAGS);
        }
        Set<String> all = new LinkedHashSet<>(tags);
        all.addAll(scoped);
        return all.toArray(NO_TAGS);
    }
}
