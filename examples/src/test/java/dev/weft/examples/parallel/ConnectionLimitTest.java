package dev.weft.examples.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Blocking;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitTest {

    @Test
    void shouldRunTwoQueriesAtOnceAndNeverThree() throws Exception {
        // Each query stays in its body until a second one is in its own: pairs must form, so two run at
        // once; a third that started beside a pair would be seen inside with them.
        CyclicBarrier pair = new CyclicBarrier(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Queue<String> problems = new ConcurrentLinkedQueue<>();

        List<String> transcript = Transcript.of(() -> ConnectionLimit.main(new String[0]), line -> {
            if (line.startsWith("querying row")) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    pair.await(Blocking.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (BrokenBarrierException | TimeoutException e) {
                    problems.add(line + ": no second query ran beside it");
                }
                inside.decrementAndGet();
            }
        });

        assertThat(problems).isEmpty();
        assertThat(most.get()).isEqualTo(2);
        assertThat(Transcript.printed(transcript))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 6)
                        .mapToObj(row -> "querying row " + row)
                        .toList());
    }
}
