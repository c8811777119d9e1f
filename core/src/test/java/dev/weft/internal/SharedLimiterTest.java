package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.contract.CountingStore;
import dev.weft.contract.LogCapture;
import dev.weft.spi.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The process's store of limits is opened once, off the submitting thread, and a failure costs one line a run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SharedLimiterTest {

    @AfterEach
    void restore() {
        SharedLimiter.openWith(Limiter::open);
        System.clearProperty("weft.slot.wait");
    }

    private static List<State<Integer>> runTagged(int runs) {
        Task1<Integer, Integer> tagged = Task.of("tagged", (Integer i) -> i).withTags("db");
        List<State<Integer>> states = new ArrayList<>();
        Flow.of("broken-store", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> futures = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        futures.add(tagged.submit(i));
                    }
                    futures.forEach(f -> states.add(f.await()));
                })
                .callForState();
        return states;
    }

    @Test
    void shouldOpenABrokenStoreOnceAndCrashEachTaggedRunWithOneLine() {
        AtomicInteger opens = new AtomicInteger();
        SharedLimiter.openWith(settings -> {
            opens.incrementAndGet();
            throw new StoreException(
                    "Cannot reach the concurrency-limit database jdbc:postgresql://127.0.0.1:1/test: Connection refused",
                    null);
        });
        List<State<Integer>> states;
        List<ILoggingEvent> taskErrors;
        try (LogCapture logs = LogCapture.start()) {
            states = runTagged(20);
            taskErrors = logs.events().stream()
                    .filter(e -> e.getLoggerName().equals("dev.weft.task_runs") && e.getLevel() == Level.ERROR)
                    .toList();
        }
        assertThat(opens).hasValue(1);
        assertThat(states).hasSize(20).allSatisfy(state -> {
            assertThat(state.type()).isEqualTo(StateType.CRASHED);
            assertThat(state.message())
                    .isEqualTo("Task run crashed: it could not take slots on its tags [db]: Cannot reach the"
                            + " concurrency-limit database jdbc:postgresql://127.0.0.1:1/test: Connection refused");
        });
        assertThat(taskErrors).hasSize(20).allSatisfy(e -> assertThat(e.getThrowableProxy())
                .as("a stack trace")
                .isNull());
    }

    @Test
    void shouldCrashTaggedRunsOnceWithTheSettingThatIsWrong() {
        System.setProperty("weft.slot.wait", "soon");
        AtomicInteger opens = new AtomicInteger();
        SharedLimiter.openWith(settings -> {
            opens.incrementAndGet();
            return Limiter.inMemory();
        });
        List<State<Integer>> states = runTagged(5);
        assertThat(opens).as("the store is not opened with bad settings").hasValue(0);
        assertThat(states).hasSize(5).allSatisfy(state -> assertThat(state.message())
                .endsWith("The setting weft.slot.wait / WEFT_SLOT_WAIT must be a duration such as 30s, 500ms or 2m,"
                        + " not 'soon'"));
    }

    @Test
    void shouldNotTouchTheStoreForTagsWithoutALimit() {
        AtomicInteger acquires = new AtomicInteger();
        SharedLimiter.openWith(settings -> new CountingStore(Limiter.inMemory(), acquires));
        List<State<Integer>> states = runTagged(10);
        assertThat(states).allSatisfy(state -> assertThat(state.isCompleted()).isTrue());
        assertThat(acquires).as("acquires for a tag without a limit").hasValue(0);
    }
}
