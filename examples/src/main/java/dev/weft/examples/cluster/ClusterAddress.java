package dev.weft.examples.cluster;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.remote.ClusterSecret;
import dev.weft.remote.HazelcastTaskRunner;
import dev.weft.remote.WeftWorker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Twin of "Connecting to an existing cluster": the flow's runner joins a cluster of Weft workers that runs
 * already, by the address of one of its members, as Prefect's {@code DaskTaskRunner(address="tcp://...")}
 * does, and leaves it running when the flow run ends.
 *
 * <p>On real hosts each worker is a {@code weft worker} process, such as {@code weft worker --address
 * 10.0.0.5:5701 --threads 2 --secret-file cluster.secret}. So that the example runs by itself, it starts two
 * {@link WeftWorker}s in this JVM as their stand-ins, on loopback and on free ports, with a secret of its
 * own, runs the flow on them, and then closes them. Workers in this JVM run the calls on their own threads,
 * yet the calls still travel to them as signed bytes, as they would to another host.
 */
public final class ClusterAddress {
    private ClusterAddress() {}

    // snippet:cluster-address
    static final Task1<Integer, Integer> square = Task.of("square", (Integer x) -> x * x);

    /** A flow whose runner joins the cluster at {@code address}, one of its members. */
    static Flow<Integer> sumOfSquares(String address, ClusterSecret secret) {
        HazelcastTaskRunner existing = HazelcastTaskRunner.builder()
                .address(address)
                .clusterName("weft")
                .secret(secret) // without it, read from WEFT_CLUSTER_SECRET
                .build();
        return Flow.of("sum-of-squares", existing, () -> {
            List<TaskFuture<Integer>> squares =
                    IntStream.rangeClosed(1, 10).mapToObj(x -> square.submit(x)).toList();
            int sum = TaskFuture.gather(squares).result().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
            System.out.println("1 + 4 + ... + 100 = " + sum);
            return sum;
        });
    }

    /** Starts two workers, stand-ins for {@code weft worker} on two hosts, runs the flow on them, stops them. */
    @SuppressWarnings("try") // -Xlint:try: the second worker need only run while the flow does
    static int runOnTwoWorkers() {
        ClusterSecret secret = ClusterSecret.random(); // on real hosts: the same secret in a file on each
        try (WeftWorker first = WeftWorker.builder()
                        .name("w0")
                        .address("127.0.0.1:" + freePort())
                        .threads(2)
                        .clusterName("weft")
                        .secret(secret)
                        .start();
                WeftWorker second = WeftWorker.builder()
                        .name("w1")
                        .address("127.0.0.1:" + freePort())
                        .join(List.of(first.address()))
                        .threads(2)
                        .clusterName("weft")
                        .secret(secret)
                        .start()) {
            return sumOfSquares(first.address(), secret).call();
        }
    }
    // end-snippet:cluster-address

    /** A port of the loopback interface that no one listens on now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on the loopback interface", e);
        }
    }

    /**
     * Runs the flow on two workers started for it.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        runOnTwoWorkers();
    }
}
