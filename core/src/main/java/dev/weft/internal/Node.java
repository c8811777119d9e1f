package dev.weft.internal;

import dev.weft.IllegalTransitionException;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.TaskFuture;
import dev.weft.UpstreamFailedException;
import dev.weft.runner.WaitHelper;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Something with a state that ends once and that others can wait for: a task run or a gathered future.
 *
 * <p>Design notes. Three fields carry all the concurrency, each changed only by CAS:
 *
 * <ul>
 *   <li>{@code bits} packs the state history, four bits a state, the current one lowest; a transition is
 *       one CAS that both checks the table and appends to the history, so an illegal move can report the
 *       run's exact story.
 *   <li>{@code outcome} is the final state (for a node that completed with a value, a shared stand-in until
 *       someone asks for its state: the value is kept in a field, and the state made on demand, so a run
 *       read only through its value costs no state object). Ending is three steps: the one winner among racing completions
 *       (a result against a cancel, say) claims {@code outcome} by CAS, records the final event, then
 *       appends the final type to {@code bits}. The node is done, for {@link #isDone()}, {@link #state()}
 *       and every waiter, from that last step: so whoever sees it done and goes on (a dependent that
 *       starts, a flow that submits the next task) logs after its "finished" line. A completion that lost
 *       the race waits for that step before it returns, so it too finds the node done. A live transition
 *       that races a claim re-checks {@code outcome} after its CAS and reports that it lost, so a run
 *       claimed as ended never starts its code.
 *   <li>{@code waiters} is a Treiber stack of dependents and parked threads. Ending swaps in the {@code
 *       DONE} sentinel; a registration that finds it knows the node has ended. So a dependent is told
 *       exactly once, whichever side wins the race.
 * </ul>
 *
 * @param <T> the value type
 */
public abstract class Node<T> implements TaskFuture<T> {
    private static final VarHandle BITS;
    private static final VarHandle OUTCOME;
    private static final VarHandle WAITERS;
    private static final VarHandle ID;
    private static final StateType[] TYPES = StateType.values();
    private static final int HISTORY_LENGTH = 16;

    /** Marks the waiter stack of a node that has ended. */
    static final Link DONE = new Link(null);

    /**
     * The outcome of a node that completed with a value whose state was not asked for yet: the value is in
     * {@code value}, and the state is made the first time someone asks for it. A run that completes costs
     * no state object unless its state is read (most runs are read through their value).
     */
    private static final State<?> COMPLETED_VALUE =
            State.of(StateType.COMPLETED, StateType.COMPLETED.displayName(), null, null, null);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            BITS = lookup.findVarHandle(Node.class, "bits", long.class);
            OUTCOME = lookup.findVarHandle(Node.class, "outcome", State.class);
            WAITERS = lookup.findVarHandle(Node.class, "waiters", Link.class);
            ID = lookup.findVarHandle(Node.class, "id", UUID.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long bits;
    private volatile State<T> outcome;
    private volatile Link waiters;
    private volatile UUID id;

    /** The value a node completed with, while its outcome is {@link #COMPLETED_VALUE}; see {@link #settled}. */
    private Object value;

    /**
     * Creates a node in its first state.
     *
     * @param initial the first state
     */
    protected Node(StateType initial) {
        bits = code(initial);
    }

    /**
     * Names the node in messages, with a capital: {@code Task run 'x-1a2b3c4d-0'}.
     *
     * @return the label
     */
    protected abstract String label();

    /**
     * Called after every transition, by the thread that made it.
     *
     * @param to the new type
     * @param finalState the final state when {@code to} is final, else null; for a node that completed with
     *     a value, a stand-in with the type, name and message of its state but not its value (the state with
     *     its value is {@link #finalState()}, made when first asked for)
     */
    protected void transitioned(StateType to, State<T> finalState) {}

    /**
     * Called once for every move of the node's state, right after it is made, on the thread that made it
     * (so two moves made by two threads may be told in the other order). For counts of the nodes in each
     * state.
     *
     * @param from the state it left
     * @param to the state it entered
     */
    protected void moved(StateType from, StateType to) {}

    /**
     * Called once, by the thread that ends the node, after it claimed the final state and before anyone
     * can see it: what must be done by the time the node is seen final (giving back slots) goes here.
     *
     * @param finalState the final state
     */
    protected void beforeFinal(State<T> finalState) {}

    /** Called once, after the node's waiters were told it ended. */
    protected void afterFinal() {}

    /**
     * Describes a live (non-final) state; the default has no message.
     *
     * @param type the current type
     * @return the state
     */
    protected State<T> liveState(StateType type) {
        return State.of(type);
    }

    @Override
    public final UUID id() {
        UUID i = id;
        if (i == null) {
            UUID made = randomId();
            UUID won = (UUID) ID.compareAndExchange(this, null, made);
            i = won == null ? made : won;
        }
        return i;
    }

    @Override
    public boolean cancel() {
        return !isDone() && finish(State.<T>cancelled("Cancelled by the user").forRun(label()));
    }

    /**
     * A version 4 (random) UUID from the thread's fast generator: run ids need to be unique, not
     * unguessable, and {@link UUID#randomUUID()} would take a secure random number per run.
     */
    static UUID randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low);
    }

    // ---- state ------------------------------------------------------------------------------------

    /**
     * Returns the current state type.
     *
     * @return the type
     */
    public final StateType type() {
        return decode((long) BITS.getAcquire(this));
    }

    @Override
    public final boolean isDone() {
        return type().isFinal();
    }

    @Override
    public final State<T> state() {
        StateType type = type();
        return type.isFinal() ? settled() : liveState(type);
    }

    /** Returns the final state; only valid once {@link #isDone()}. */
    final State<T> finalState() {
        return settled();
    }

    /**
     * Returns the claimed final state, making it now if the node completed with a value and no one asked for
     * its state before. Only valid once the outcome is claimed (in {@link #transitioned} with a final state,
     * or once {@link #isDone()}).
     */
    @SuppressWarnings("unchecked")
    private State<T> settled() {
        State<T> o = outcome;
        if (o != COMPLETED_VALUE) {
            return o;
        }
        State<T> made = State.completed((T) value);
        State<T> won = (State<T>) OUTCOME.compareAndExchange(this, o, made);
        return won == o ? made : won; // a racing reader made it first: every reader gets the same one
    }

    /**
     * Returns the value of a node that completed, or throws as {@link State#result()} does for one that did
     * not, without making its state. Only valid once {@link #isDone()}.
     */
    @SuppressWarnings("unchecked")
    final T resultNow() {
        State<T> o = outcome;
        return o == COMPLETED_VALUE ? (T) value : settled().result();
    }

    /** Whether the final state is claimed: the node has ended, or is ending now; makes no state. */
    final boolean isClaimed() {
        return outcome != null;
    }

    /** Whether the node ended {@code Completed}; only valid once {@link #isDone()}. */
    final boolean endedCompleted() {
        return type() == StateType.COMPLETED;
    }

    /**
     * Makes a named live transition ({@link Transition}).
     *
     * @param t the transition, to a live state
     * @return true if moved; false if the node had ended, or was ended while it moved (a race lost to a
     *     cancel or a crash): the caller must then leave the node alone
     * @throws IllegalTransitionException if the table does not allow the move from the current state
     */
    protected final boolean transition(Transition t) {
        return transition(t, true);
    }

    /**
     * Makes the move if the node is in a state it leaves from, else changes nothing: for a move that
     * racing threads may each decide on, where the node may already have made it, or gone further.
     *
     * @param t the move
     * @return whether this call made it
     */
    protected final boolean transitionIfLeaving(Transition t) {
        return transition(t, false);
    }

    private boolean transition(Transition t, boolean strict) {
        StateType to = t.to;
        for (; ; ) {
            long b = (long) BITS.getVolatile(this);
            StateType from = decode(b);
            if (from.isFinal() || outcome != null) {
                return false;
            }
            if (!t.leavesFrom(from)) {
                if (!strict) {
                    return false;
                }
                throw illegal(t, from, b);
            }
            if (BITS.compareAndSet(this, b, push(b, to))) {
                moved(from, to);
                if (outcome != null) {
                    return false; // ended by a racing completion, which publishes its type on top of ours
                }
                transitioned(to, null);
                return true;
            }
        }
    }

    /**
     * Ends the node in {@code state} and tells its waiters. Returns false, changing nothing, if the node
     * had already ended.
     *
     * @param state a final state
     * @return whether this call ended the node
     * @throws IllegalTransitionException if the table does not allow the move
     */
    protected final boolean finish(State<T> state) {
        if (!settle(state)) {
            return false;
        }
        propagate(this);
        return true;
    }

    /**
     * Ends the node {@code Completed} with a value and tells its waiters, as {@link #finish} does with {@code
     * State.completed(value)}; the state itself is made only if someone asks for it.
     *
     * @param value the value
     * @return whether this call ended the node
     */
    protected final boolean finishCompleted(T value) {
        if (!settleCompleted(value)) {
            return false;
        }
        propagate(this);
        return true;
    }

    /** {@link #settle} with {@code State.completed(value)}, whose state is made only if someone asks for it. */
    @SuppressWarnings("unchecked")
    final boolean settleCompleted(T value) {
        return settle((State<T>) COMPLETED_VALUE, value);
    }

    /**
     * Claims and publishes the final state without telling waiters; the caller then passes the node to
     * {@link #propagate}, directly or by returning it from {@link Dependent#upstreamFinished}.
     */
    final boolean settle(State<T> state) {
        return settle(state, null);
    }

    private boolean settle(State<T> state, T completedWith) {
        StateType to = state.type();
        long b = (long) BITS.getVolatile(this);
        StateType from = decode(b);
        if (from.isFinal()) {
            return false;
        }
        if (outcome != null) {
            awaitPublished();
            return false;
        }
        Transition t = Transition.ending(to);
        if (!t.leavesFrom(from)) {
            throw illegal(t, from, b);
        }
        if (!OUTCOME.compareAndSet(this, null, state)) {
            awaitPublished();
            return false;
        }
        value = completedWith; // only the claimer writes it; readers read it after the final type, published below
        beforeFinal(state);
        transitioned(to, state);
        // Only the claimer writes a final type, so this loop only races live transitions, from which
        // every final type the claimer can choose stays reachable.
        do {
            b = (long) BITS.getVolatile(this);
        } while (!BITS.compareAndSet(this, b, push(b, to)));
        moved(decode(b), to);
        return true;
    }

    /**
     * Waits for the winner of a completion race to publish the final type: briefly, unless the winner gives
     * back slots to a store first, which may take a round trip.
     */
    private void awaitPublished() {
        for (int spins = 0; !isDone(); spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else if (spins < 1_000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(this, 50_000);
            }
        }
    }

    /**
     * Tells the waiters of {@code first}, which has just ended, and those of every node that ends as a
     * consequence, in a loop, so that a long chain of dependents never deepens the stack.
     */
    static void propagate(Node<?> first) {
        ArrayDeque<Node<?>> cascade = null;
        for (Node<?> node = first; node != null; node = cascade == null ? null : cascade.poll()) {
            Link head = (Link) WAITERS.getAndSet(node, DONE);
            if (head != null && head != DONE) {
                if (head.next == null) {
                    Node<?> ended = tell(node, head);
                    if (ended != null) {
                        (cascade = cascade == null ? new ArrayDeque<>() : cascade).add(ended);
                    }
                } else {
                    cascade = tellAll(node, head, cascade);
                }
            }
            node.afterFinal();
        }
    }

    /** Tells a stack of waiters in registration order (the stack holds them newest first). */
    private static ArrayDeque<Node<?>> tellAll(Node<?> node, Link head, ArrayDeque<Node<?>> cascade) {
        int n = 0;
        for (Link l = head; l != null; l = l.next) {
            n++;
        }
        Link[] inOrder = new Link[n];
        for (Link l = head; l != null && n > 0; l = l.next) {
            inOrder[--n] = l;
        }
        for (Link l : inOrder) {
            if (l == null) {
                continue;
            }
            Node<?> ended = tell(node, l);
            if (ended != null) {
                (cascade = cascade == null ? new ArrayDeque<>() : cascade).add(ended);
            }
        }
        return cascade;
    }

    private static Node<?> tell(Node<?> node, Link link) {
        Object item = link.item;
        if (item instanceof Thread thread) {
            LockSupport.unpark(thread);
        } else if (item != null) {
            return ((Dependent) item).upstreamFinished(node);
        }
        return null;
    }

    /**
     * Returns the final state of this node when it cannot go on because {@code upstream} ended without
     * completing: {@code Cancelled} if the upstream node was cancelled, else {@code UpstreamFailed} (a
     * {@code FAILED} state) whose exception is an {@link UpstreamFailedException} caused by the upstream
     * node's own exception.
     *
     * @param role how this node relates to the upstream one, such as {@code Upstream} or {@code Gathered}
     * @param upstream a node that has ended without completing
     */
    final State<T> upstreamEnded(String role, Node<?> upstream) {
        State<?> state = upstream.finalState();
        String other = upstream.label();
        String what = role + " " + Character.toLowerCase(other.charAt(0)) + other.substring(1);
        if (state.isCancelled()) {
            return State.<T>cancelled(what + " was cancelled").forRun(label());
        }
        String message = what + " did not reach a 'COMPLETED' state; it finished in state " + state.name();
        return State.<T>of(
                        StateType.FAILED,
                        "UpstreamFailed",
                        message,
                        null,
                        new UpstreamFailedException(message, state.exception()))
                .forRun(label());
    }

    // ---- waiting ----------------------------------------------------------------------------------

    /**
     * Registers a dependent to be told when this node ends.
     *
     * @return false if the node has already ended (the dependent is then not registered)
     */
    final boolean addDependent(Dependent dependent) {
        return push(new Link(dependent));
    }

    private boolean push(Link link) {
        for (; ; ) {
            Link head = waiters;
            if (head == DONE) {
                return false;
            }
            link.next = head;
            if (WAITERS.compareAndSet(this, head, link)) {
                return true;
            }
        }
    }

    /** Unlinks waiters whose thread gave up; the same scheme as {@code FutureTask.removeWaiter}. */
    private void removeWaiter(Link link) {
        link.item = null;
        retry:
        for (; ; ) {
            Link pred = null;
            Link q = waiters;
            if (q == DONE) {
                return;
            }
            while (q != null) {
                Link s = q.next;
                if (q.item != null) {
                    pred = q;
                } else if (pred != null) {
                    pred.next = s;
                    if (pred.item == null) {
                        continue retry;
                    }
                } else if (!WAITERS.compareAndSet(this, q, s)) {
                    continue retry;
                }
                q = s;
            }
            return;
        }
    }

    @Override
    public final State<T> await() {
        awaitDone();
        return settled();
    }

    @Override
    public final Optional<State<T>> await(Duration timeout) {
        if (isDone()) {
            return Optional.of(settled());
        }
        long nanos = saturatedNanos(timeout);
        if (nanos <= 0 || !awaitDone(true, System.nanoTime() + nanos)) {
            return Optional.empty();
        }
        return Optional.of(settled());
    }

    @Override
    public final T result() {
        awaitDone();
        return resultNow();
    }

    @Override
    public final Object resultOrException() {
        awaitDone();
        return outcome == COMPLETED_VALUE ? value : settled().resultOrException();
    }

    /** Returns once this node has ended, however long that takes. */
    private void awaitDone() {
        if (!isDone()) {
            awaitDone(false, 0L);
        }
    }

    /**
     * Before a thread waits for this node: a run that its runner offered to its waiter ({@code
     * TaskRunner.Call.offerToWaiter}) runs here, on the waiting thread, if it may.
     *
     * @param timed whether the wait has a deadline
     */
    protected void beforeWait(boolean timed) {}

    /** Parks (or helps the current runner) until this node ends or the deadline passes. */
    private boolean awaitDone(boolean timed, long deadline) {
        beforeWait(timed);
        if (isDone()) {
            return true;
        }
        Thread me = Thread.currentThread();
        Link link = new Link(me);
        if (!push(link)) {
            return true;
        }
        try {
            return WaitHelper.await(
                    this::isDone, timed, deadline, this, () -> "Interrupted while waiting for " + label());
        } finally {
            if (!isDone()) {
                removeWaiter(link);
            }
        }
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException overflow) {
            return timeout.isNegative() ? 0 : Long.MAX_VALUE / 2;
        }
    }

    // ---- history ----------------------------------------------------------------------------------

    private static int code(StateType type) {
        return type.ordinal() + 1;
    }

    private static StateType decode(long bits) {
        return TYPES[(int) (bits & 0xF) - 1];
    }

    private static long push(long bits, StateType next) {
        return (bits << 4) | code(next);
    }

    /**
     * Returns the states this node went through, oldest first, such as {@code Pending -> Running}.
     *
     * @return the history (at most the last 16 states)
     */
    public final String history() {
        return history((long) BITS.getVolatile(this));
    }

    private static String history(long bits) {
        StringBuilder b = new StringBuilder();
        for (int shift = (HISTORY_LENGTH - 1) * 4; shift >= 0; shift -= 4) {
            int code = (int) ((bits >>> shift) & 0xF);
            if (code != 0) {
                if (!b.isEmpty()) {
                    b.append(" -> ");
                }
                b.append(TYPES[code - 1].displayName());
            }
        }
        return b.toString();
    }

    private IllegalTransitionException illegal(Transition t, StateType from, long bits) {
        return new IllegalTransitionException(label() + " cannot move from " + from.displayName() + " to "
                + t.to.displayName() + " (" + t + " leaves from " + t.sources() + " only); its states so far: "
                + history(bits));
    }

    @Override
    public String toString() {
        return label() + " " + state();
    }

    /** A node of the waiter stack: a dependent, or a parked thread (null once it gave up). */
    static final class Link {
        volatile Object item;
        volatile Link next;

        Link(Object item) {
            this.item = item;
        }
    }
}
