package dev.weft.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.contract.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class HazelcastTaskRunnerTest {
    static final Task1<Integer, String> WHERE =
            Task.of("where", (Integer x) -> x + "@" + ProcessHandle.current().pid());

    @Test
    void shouldRunCallsInWorkerJvmsAndStopThemAtTheFlowsEnd() {
        long here = ProcessHandle.current().pid();
        List<String> seen;
        try (LogCapture logs = LogCapture.start()) {
            seen = Flow.of("remote", () -> {
                        List<TaskFuture<String>> fs = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            fs.add(WHERE.submit(i));
                        }
                        return fs.stream().map(TaskFuture::result).toList();
                    })
                    .withTaskRunner(HazelcastTaskRunner.builder()
                            .workers(2)
                            .threadsPerWorker(2)
                            .build())
                    .call();
            System.out.println(String.join("\n", logs.lines()));
        }
        assertThat(seen).hasSize(20);
        assertThat(seen.stream().map(s -> s.substring(s.indexOf('@') + 1)).distinct())
                .hasSize(2)
                .doesNotContain(Long.toString(here));
        assertThat(ProcessHandle.current().children()).isEmpty();
    }
}
