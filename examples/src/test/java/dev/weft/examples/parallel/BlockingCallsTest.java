package dev.weft.examples.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.examples.testing.Transcript;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingCallsTest {

    @Test
    void shouldDownloadOnVirtualThreadsAndCountWordsOnTheCluster() throws Exception {
        List<String> transcript = Transcript.of(() -> BlockingCalls.main(new String[0]));

        // page p says "page p says hello" p + 1 times: 4 x (1 + 2 + ... + 9) words
        assertThat(Transcript.printed(transcript)).containsExactly("180 words in 9 pages");
        List<String> logged = Transcript.logged(transcript);
        assertThat(logged)
                .containsSubsequence(
                        "Starting task runner `ForkJoinTaskRunner`...",
                        "Starting task runner `ConcurrentTaskRunner`...",
                        "Shutting down task runner `ConcurrentTaskRunner`...",
                        "Shutting down task runner `ForkJoinTaskRunner`...");
        // Every download has finished, in the subflow, before the first word count is submitted
        int firstCount = indexOfFirst(logged, "Submitting task run 'count_words-");
        int lastDownload = indexOfLast(logged, "Task run 'fetch-");
        assertThat(lastDownload).isNotNegative().isLessThan(firstCount);
    }

    @Test
    void shouldLetTheOnlyThreadOfAPoolBlockWhileTheTaskItWaitsForRuns() throws Exception {
        // A pool of one thread: the first task blocks until the second has run, which needs a thread of
        // its own. Through managedBlock, the pool adds one meanwhile.
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            CountDownLatch secondRan = new CountDownLatch(1);
            Future<Boolean> first = pool.submit(() -> BlockingCalls.blocking(() -> {
                pool.execute(secondRan::countDown);
                return secondRan.await(20, TimeUnit.SECONDS);
            }));

            assertThat(first.get()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReturnTheValueOrThrowTheFailureOfTheBlockingCall() throws Exception {
        assertThat(BlockingCalls.blocking(() -> "done")).isEqualTo("done");
        assertThatThrownBy(() -> BlockingCalls.blocking(() -> {
                    throw new IOException("connection reset");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("connection reset");
    }

    private static int indexOfFirst(List<String> lines, String prefix) {
        return IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).startsWith(prefix))
                .findFirst()
                .orElse(-1);
    }

    private static int indexOfLast(List<String> lines, String prefix) {
        return IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).startsWith(prefix))
                .reduce((a, b) -> b)
                .orElse(-1);
    }
}
