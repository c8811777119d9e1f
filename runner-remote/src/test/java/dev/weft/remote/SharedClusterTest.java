package dev.weft.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import dev.weft.WeftClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Flow runs of several processes share one cluster of `weft worker`s, and a tag limit holds across them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class SharedClusterTest {
    private static final String SECRET = "the secret two drivers and their workers share";

    @Test
    void shouldHoldATagLimitAcrossTwoDriverJvmsSharingOneCluster(@TempDir Path home) throws Exception {
        try (WeftClient limits = WeftClient.open(Settings.load().withHome(home))) {
            limits.createConcurrencyLimit("shared_gpu", 2);
        }
        int port = freePort();
        List<Process> drivers = new ArrayList<>();
        try (WeftWorker first = WeftWorker.builder()
                        .name("first")
                        .address("127.0.0.1:" + port)
                        .clusterName("shared")
                        .threads(4)
                        .secret(ClusterSecret.of(SECRET))
                        .start();
                WeftWorker second = WeftWorker.builder()
                        .name("second")
                        .address("127.0.0.1:" + freePort())
                        .join(List.of(first.address()))
                        .clusterName("shared")
                        .threads(4)
                        .secret(ClusterSecret.of(SECRET))
                        .start()) {
            for (int i = 0; i < 2; i++) {
                ProcessBuilder b = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dweft.home=" + home,
                        "-cp",
                        System.getProperty("java.class.path"),
                        SharingDriverMain.class.getName(),
                        first.address(),
                        "shared");
                b.environment().put(ClusterSecret.ENVIRONMENT, SECRET);
                b.redirectErrorStream(true);
                b.redirectOutput(home.resolve("driver-" + i + ".log").toFile());
                drivers.add(b.start());
            }
            for (int i = 0; i < drivers.size(); i++) {
                Process d = drivers.get(i);
                String log = home.resolve("driver-" + i + ".log").toString();
                assertThat(d.waitFor(90, TimeUnit.SECONDS))
                        .as("driver %d ended", i)
                        .isTrue();
                String out = Files.readString(Path.of(log), StandardCharsets.UTF_8);
                assertThat(d.exitValue()).as(out).isZero();
                assertThat(out).contains("sum=21");
            }
            assertThat(SharingDriverMain.MOST.get())
                    .as("tagged calls at once, across both drivers")
                    .isEqualTo(2);
            assertThat(second.name()).isEqualTo("second");
        } finally {
            drivers.forEach(Process::destroyForcibly);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
