package dev.weft.examples.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.examples.testing.Transcript;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnnotateScopesTest {

    /** What a runner is told about a call: its priority and the resources it needs. */
    private record Submitted(int priority, Resources resources) {}

    /** Runs each call on the submitting thread, after noting what it was submitted with. */
    private record RecordingRunner(List<Submitted> submitted) implements TaskRunner {
        @Override
        public void start() {}

        @Override
        public void submit(Call call) {
            submitted.add(new Submitted(call.priority(), call.resources()));
            call.run(null);
        }

        @Override
        public void shutdown() {}

        @Override
        public TaskRunner duplicate() {
            return new RecordingRunner(submitted);
        }
    }

    @Test
    void shouldSubmitEachCallWithThePriorityAndResourcesItsScopesAndTaskGiveIt() {
        List<Submitted> submitted = Collections.synchronizedList(new ArrayList<>());

        AnnotateScopes.scopes.withTaskRunner(new RecordingRunner(submitted)).call();

        Resources gpu = Resources.of("GPU", 1);
        assertThat(submitted)
                .containsExactly(
                        new Submitted(5, gpu), // the outer scope
                        new Submitted(10, gpu), // the inner scope's priority, the outer scope's GPU
                        new Submitted(0, gpu), // the task's own priority
                        new Submitted(5, gpu), // the outer scope again
                        new Submitted(5, Resources.of("GPU", 0.5)), // the task's own resources
                        new Submitted(0, Resources.NONE)); // no scope
    }

    @Test
    void shouldRunEveryCallOnTheClusterWithOneGpu() throws Exception {
        List<String> transcript = Transcript.of(() -> AnnotateScopes.main(new String[0]));

        assertThat(Transcript.printed(transcript))
                .containsExactlyInAnyOrder(
                        "priority 5, GPU=1",
                        "priority 10, GPU=1",
                        "priority 0, GPU=1",
                        "priority 5, GPU=1 again",
                        "priority 5, GPU=0.5",
                        "priority 0, no resources");
        assertThat(Transcript.logged(transcript))
                .contains("Creating a local cluster of 1 worker x 2 threads, with {GPU=1} on a ForkJoinPool");
    }
}
