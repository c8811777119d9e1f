package dev.weft.internal;

import dev.weft.Resources;
import java.util.Arrays;

/**
 * What a task carries besides its function: runs to wait for, and, when set, a priority and the resources
 * its calls need. Unset options come from the current {@link Annotations} scope, then from the defaults
 * (priority 0, no resources).
 *
 * @param waitFor runs every call waits for
 * @param priority the priority, or null when not set
 * @param resources the resources, or null when not set
 */
public record CallOptions(Node<?>[] waitFor, Integer priority, Resources resources) {
    /** No options. */
    public static final CallOptions NONE = new CallOptions(Inputs.NONE, null, null);

    /**
     * Returns these options with more runs to wait for.
     *
     * @param upstream the runs
     * @return the options
     */
    public CallOptions plusWaitFor(Node<?>[] upstream) {
        Node<?>[] all = Arrays.copyOf(waitFor, waitFor.length + upstream.length);
        System.arraycopy(upstream, 0, all, waitFor.length, upstream.length);
        return new CallOptions(all, priority, resources);
    }

    /**
     * Returns these options with a priority.
     *
     * @param newPriority the priority
     * @return the options
     */
    public CallOptions withPriority(int newPriority) {
        return new CallOptions(waitFor, newPriority, resources);
    }

    /**
     * Returns these options with resources.
     *
     * @param newResources the resources
     * @return the options
     */
    public CallOptions withResources(Resources newResources) {
        return new CallOptions(waitFor, priority, newResources);
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
}
