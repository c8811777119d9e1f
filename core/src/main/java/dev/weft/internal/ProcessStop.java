package dev.weft.internal;

import dev.weft.State;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * Ends the process's flow runs properly when the process stops: on SIGINT (Ctrl-C), SIGTERM (what {@code
 * kill}, {@code scancel} and a batch system's time limit send) and any other JVM shutdown.
 *
 * <p>A JVM shutdown hook aborts every flow run that has not ended: running task runs end {@code CRASHED}
 * and their bodies are interrupted, waiting ones end {@code CANCELLED}, each saying that the process is
 * stopping, and their slots are given back as they end. The bodies get a grace period ({@value #GRACE_PROPERTY}, 3 s by default) to run their {@code
 * finally} blocks and return, so that each flow run ends on its own thread and logs its final line; a flow
 * run whose body does not return in time is ended by the hook, which logs its final line for it.
 *
 * <p>Signals. So that the states can name the signal, and a second Ctrl-C can exit at once as users expect,
 * Weft takes over SIGINT and SIGTERM from the JVM's own handler (never from one the application installed):
 * the first signal starts the JVM's shutdown with the usual status ({@code 128 + signal}), a second one
 * while the runs end halts the JVM at once.
 */
final class ProcessStop {
    /** How long the bodies of aborted runs have to return before the JVM exits, unless set. */
    static final Duration GRACE_DEFAULT = Duration.ofSeconds(3);

    /** The system property that sets the grace period, such as {@code 10s}. */
    static final String GRACE_PROPERTY = "weft.shutdown.grace";

    private static final Logger LOG = Logs.get("dev.weft.flow_runs");
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final LiveRuns FLOW_RUNS = new LiveRuns();
    private static final AtomicInteger LIVE = new AtomicInteger();
    private static volatile String signal;

    private ProcessStop() {}

    /** Tracks a flow run (not a subflow run) until it ends; installs the hook with the first one. */
    static int track(FlowRun run) {
        if (!INSTALLED.get() && INSTALLED.compareAndSet(false, true)) {
            install();
        }
        LIVE.incrementAndGet();
        return FLOW_RUNS.add(run);
    }

    /** Stops tracking a flow run that has ended. */
    static void untrack(int slot) {
        FLOW_RUNS.remove(slot);
        LIVE.decrementAndGet();
    }

    /** Returns how many flow runs (not subflow runs) of this process have not ended. */
    static int liveFlowRuns() {
        return LIVE.get();
    }

    private static void install() {
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("weft-shutdown").unstarted(ProcessStop::stopRuns));
        try {
            Signals signals = new Signals();
            signals.takeOver("INT");
            signals.takeOver("TERM");
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // no sun.misc.Signal here, or the signal is not the JVM's to give: the hook still runs
            LOG.debug("Weft leaves signals to the JVM: {}", e.toString());
        }
    }

    /**
     * The JDK's {@code sun.misc.Signal}, reached by reflection: javac warns on every use of it with no way
     * to say that Weft means it, and a runtime without {@code jdk.unsupported} simply has no handler.
     */
    private static final class Signals {
        private final Class<?> signalType = Class.forName("sun.misc.Signal");
        private final Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        private final Method handle = signalType.getMethod("handle", signalType, handlerType);
        private final Method name = signalType.getMethod("getName");
        private final Method number = signalType.getMethod("getNumber");
        private final Object defaultHandler = handlerType.getField("SIG_DFL").get(null);
        private final Object ignoreHandler = handlerType.getField("SIG_IGN").get(null);

        Signals() throws ReflectiveOperationException {}

        /** Handles the signal in place of the JVM's own handler; leaves one the application set alone. */
        void takeOver(String signalName) throws ReflectiveOperationException {
            Object sig = signalType.getConstructor(String.class).newInstance(signalName);
            Object ours =
                    Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType}, (p, m, a) -> {
                        if (m.getName().equals("handle")) {
                            signalled((String) name.invoke(a[0]), (int) number.invoke(a[0]));
                            return null;
                        }
                        return m.invoke(this, a); // toString, hashCode, equals: a plain object's
                    });
            Object previous = invoke(handle, sig, ours);
            boolean jvmDefault = previous != defaultHandler
                    && previous != ignoreHandler
                    && previous.getClass().getName().startsWith("sun.misc.Signal$"); // the JVM's, wrapped
            if (!jvmDefault) {
                invoke(handle, sig, previous);
            }
        }

        private static Object invoke(Method m, Object... args) throws ReflectiveOperationException {
            try {
                return m.invoke(null, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r; // IllegalArgumentException: the signal is in use by the JVM or the OS
                }
                throw e;
            }
        }
    }

    private static void signalled(String name, int number) {
        int status = 128 + number;
        if (signal != null) {
            Runtime.getRuntime().halt(status); // a second signal: the user will not wait
        }
        signal = "SIG" + name;
        Thread.ofPlatform().name("weft-exit").start(() -> System.exit(status));
    }

    private static Duration grace() {
        String set = System.getProperty(GRACE_PROPERTY);
        if (set == null || set.isBlank()) {
            return GRACE_DEFAULT;
        }
        try {
            return dev.weft.Settings.duration(GRACE_PROPERTY, set);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}; using {}", e.getMessage(), RunMessages.describe(GRACE_DEFAULT));
            return GRACE_DEFAULT;
        }
    }

    /** The shutdown hook: aborts the live flow runs and gives their bodies the grace period. */
    private static void stopRuns() {
        List<FlowRun> runs = new ArrayList<>();
        FLOW_RUNS.forEach(run -> runs.add((FlowRun) run));
        if (runs.isEmpty()) {
            History.flushAtExit();
            return;
        }
        String why = signal != null ? "The process received " + signal : "The JVM is shutting down";
        Duration grace = grace();
        LOG.warn(
                "{}: ending {} flow run{} (at most {} for their tasks to return)",
                why,
                runs.size(),
                runs.size() == 1 ? "" : "s",
                RunMessages.describe(grace));
        for (FlowRun run : runs) {
            run.abort(why);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (FlowRun run : runs) {
            if (run.awaitEnd(deadline)) {
                continue;
            }
            State<Object> state = run.<Object>finalState(null, null)
                    .withMessage("Flow run crashed: " + Character.toLowerCase(why.charAt(0)) + why.substring(1)
                            + ", and its body did not return within " + RunMessages.describe(grace) + ".");
            run.claimEnd(state); // records the end, unless the run's own thread did meanwhile
        }
        Recorder.global().flush();
        History.flushAtExit();
    }
}
