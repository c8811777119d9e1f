package dev.weft.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.Resources;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What crosses between the flow's JVM and the workers': values, errors and what tasks print. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class ValuesTest {
    static final Task1<double[], double[]> DOUBLE_ALL = Task.of("double_all", (double[] xs) -> {
        for (int i = 0; i < xs.length; i++) {
            xs[i] *= 2;
        }
        return xs;
    });
    static final Task1<Object, String> DESCRIBE = Task.of("describe", (Object x) -> String.valueOf(x));
    static final Task1<Integer, Object> UNSENDABLE = Task.of("unsendable", (Integer x) -> new Thread());
    static final Task1<String, String> HELLO = Task.of("hello_dask", (String who) -> {
        System.out.println("Hello from " + who + "!");
        return who;
    });

    /** Not serializable: it cannot cross to a worker. */
    static final class Handle {
        @Override
        public String toString() {
            return "a handle";
        }
    }

    @Test
    void shouldCarryValuesBothWaysNameWhatCannotCrossAndShowWhatWorkersPrint() {
        int n = 13_107_200; // 100 MB of doubles
        double[] xs = new double[n];
        xs[0] = 1.5;
        xs[n - 1] = -3;
        List<TaskFuture<?>> futures = new ArrayList<>();
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        State<Void> flow;
        try {
            flow = Flow.of("values", () -> {
                        futures.add(DOUBLE_ALL.submit(xs));
                        futures.add(DESCRIBE.submit(new Handle()));
                        futures.add(UNSENDABLE.submit(1));
                        futures.add(HELLO.submit("Dask"));
                    })
                    .withTaskRunner(HazelcastTaskRunner.builder()
                            .workers(1)
                            .threadsPerWorker(2)
                            .build())
                    .callForState();
        } finally {
            System.setOut(console);
        }
        assertThat(flow.message()).isEqualTo("2/4 states failed.");
        double[] back = (double[]) futures.get(0).result();
        assertThat(back).hasSize(n).isNotSameAs(xs);
        assertThat(back[0]).isEqualTo(3.0);
        assertThat(back[n - 1]).isEqualTo(-6.0);
        assertThat(xs[0]).as("the flow's own array is untouched").isEqualTo(1.5);
        assertThat(futures.get(1).state().message())
                .isEqualTo("Task run crashed: argument 1 cannot be serialized: " + Handle.class.getName()
                        + " does not implement java.io.Serializable");
        assertThat(futures.get(2).state().message())
                .isEqualTo("Task run crashed: its value cannot be serialized: java.lang.Thread does not implement"
                        + " java.io.Serializable");
        assertThat(futures.get(3).result()).isEqualTo("Dask");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Hello from Dask!");
    }

    @Test
    void shouldPrintWhatACallPrintsOnAWorkerBeforeItsRunEnds() {
        ClusterSecret secret = ClusterSecret.random();
        try (LocalCluster cluster =
                new LocalCluster("printing", "127.0.0.1", secret, 1, Resources.NONE, List.of(), false)) {
            cluster.start(1, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            PrintStream console = System.out;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            // set after the worker started: its process's own output still goes to the console, so only what
            // comes back with a call's outcome reaches this stream
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            String who;
            try {
                who = Flow.of("printing", () -> HELLO.submit("a worker elsewhere")
                                .result())
                        .withTaskRunner(HazelcastTaskRunner.builder()
                                .address(cluster.addresses().getFirst())
                                .clusterName("printing")
                                .secret(secret)
                                .build())
                        .call();
            } finally {
                System.setOut(console);
            }
            assertThat(who).isEqualTo("a worker elsewhere");
            assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("Hello from a worker elsewhere!\n");
        }
    }
}
