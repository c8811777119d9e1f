package dev.weft.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.contract.LogCapture;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hazelcast's Community Edition lets anyone connect; Weft's workers run only what carries the secret. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class ClusterSecurityTest {
    static final AtomicBoolean FOREIGN_RAN = new AtomicBoolean();
    static final Task1<Integer, String> THREAD =
            Task.of("thread", (Integer x) -> Thread.currentThread().getName());

    private final ClusterSecret secret = ClusterSecret.of("the right secret of this cluster");
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    /** What someone who reached the cluster's port might send: code of their own. */
    static final class Foreign implements Callable<String>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public String call() {
            FOREIGN_RAN.set(true);
            return "ran";
        }
    }

    private WeftWorker worker(String name, ClusterSecret theirs, List<String> join) {
        int port = freePort();
        WeftWorker w = WeftWorker.builder()
                .name(name)
                .address("127.0.0.1:" + port)
                .join(join)
                .clusterName("secure")
                .threads(2)
                .secret(theirs)
                .start();
        opened.add(w);
        return w;
    }

    @Test
    void shouldRefuseAForeignCallableAndAnUnsignedCallFromAPlainClient() {
        WeftWorker good = worker("good", secret, List.of());
        ClientConfig config = new ClientConfig();
        config.setClusterName("secure");
        config.getNetworkConfig().addAddress(good.address());
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        opened.add(client::shutdown);
        for (String name : List.of(Members.EXECUTOR, "default")) {
            IExecutorService executor = client.getExecutorService(name);
            assertThatThrownBy(() -> executor.submit(new Foreign()).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("Resolving class " + Foreign.class.getName() + " is not allowed");
        }
        assertThat(FOREIGN_RAN).isFalse();

        byte[] body = {0, 0, 0, 0};
        Batch forged = new Batch("forged-runner", body, new byte[32]);
        assertThatThrownBy(() -> client.getExecutorService(Members.EXECUTOR)
                        .submit(forged)
                        .get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("Weft worker 'good' refused a batch of calls whose signature does not match"
                        + " this cluster's secret");
    }

    @Test
    void shouldPlaceNothingOnAMemberWithoutTheSecret() {
        WeftWorker good = worker("good", secret, List.of());
        worker("stranger", ClusterSecret.of("some other secret, not this one"), List.of(good.address()));
        List<String> threads;
        List<String> lines;
        try (LogCapture logs = LogCapture.start()) {
            threads = Flow.of("careful", () -> {
                        List<TaskFuture<String>> fs = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            fs.add(THREAD.submit(i));
                        }
                        return fs.stream().map(TaskFuture::result).toList();
                    })
                    .withTaskRunner(HazelcastTaskRunner.builder()
                            .address(good.address())
                            .clusterName("secure")
                            .secret(secret)
                            .build())
                    .call();
            lines = logs.lines();
        }
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .startsWith("Worker 'stranger' at ")
                .endsWith("does not hold the cluster secret; nothing is placed on it"));
        assertThat(threads).hasSize(20).allSatisfy(t -> assertThat(t).startsWith("weft-good-call-"));
    }

    @Test
    void shouldFindNoWorkerWithoutTheSecret() {
        WeftWorker good = worker("good", secret, List.of());
        State<Integer> state = Flow.of(
                        "intruder", () -> THREAD.submit(1).result().length())
                .withTaskRunner(HazelcastTaskRunner.builder()
                        .address(good.address())
                        .clusterName("secure")
                        .secret(ClusterSecret.of("a guess at the secret, and wrong"))
                        .startTimeout(Duration.ofSeconds(5))
                        .build())
                .callForState();
        assertThat(state.isCrashed()).isTrue();
        assertThat(state.message())
                .contains("HazelcastTaskRunner found 0 of 1 Weft workers in cluster 'secure' within 5 s");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
