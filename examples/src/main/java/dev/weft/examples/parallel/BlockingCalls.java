package dev.weft.examples.parallel;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Blocking calls next to computing ones. The downloads block, so they run in a subflow on the {@link
 * ConcurrentTaskRunner}, each on a virtual thread; the word counts compute, so they run on the {@link
 * ForkJoinTaskRunner}. One download that must happen on the cluster blocks through {@link
 * ForkJoinPool#managedBlock}, so that the pool knows its thread is blocked.
 *
 * <p>The downloads sleep {@link #LATENCY_MS} milliseconds instead of reaching a network.
 */
public final class BlockingCalls {
    private BlockingCalls() {}

    static final long LATENCY_MS = 50;

    static final int PAGES = 8;

    /** Stands for a network call: blocks, then returns the page. */
    static String download(int page) throws InterruptedException {
        Thread.sleep(LATENCY_MS);
        return ("page " + page + " says hello ").repeat(page + 1).strip();
    }

    // snippet:managed-block
    /** Runs a blocking call on a ForkJoinPool thread so that the pool knows, and can add a thread meanwhile. */
    static <T> T blocking(Callable<T> call) throws Exception {
        final class Blocker implements ForkJoinPool.ManagedBlocker {
            T value;
            Exception failure;
            boolean done;

            @Override
            public boolean block() {
                try {
                    value = call.call();
                } catch (Exception e) {
                    failure = e;
                }
                done = true;
                return true;
            }

            @Override
            public boolean isReleasable() {
                return done;
            }
        }
        Blocker blocker = new Blocker();
        ForkJoinPool.managedBlock(blocker); // outside a ForkJoinPool, it just calls block()
        if (blocker.failure != null) {
            throw blocker.failure;
        }
        return blocker.value;
    }

    static final Task1<Integer, String> downloadHere =
            Task.of("download_here", (Integer page) -> blocking(() -> download(page)));
    // end-snippet:managed-block

    // snippet:io-subflow
    static final Task1<Integer, String> fetch = Task.of("fetch", BlockingCalls::download);

    static final Task1<String, Integer> countWords = Task.of("count_words", (String text) -> text.split("\\s+").length);

    // The downloads block: a subflow runs them on virtual threads
    static final Flow<List<String>> downloads = Flow.of("downloads", new ConcurrentTaskRunner(), () -> {
        List<TaskFuture<String>> pages =
                IntStream.range(0, PAGES).mapToObj(page -> fetch.submit(page)).toList();
        return TaskFuture.gather(pages).result();
    });

    // The word counts compute: the flow runs them on the cluster
    static final Flow<Integer> wordCount = Flow.of("word-count", new ForkJoinTaskRunner(), () -> {
        List<TaskFuture<Integer>> counts = new ArrayList<>();
        for (String page : downloads.call()) {
            counts.add(countWords.submit(page));
        }
        counts.add(countWords.submit(downloadHere.submit(PAGES))); // one more page, downloaded on the cluster
        int total = TaskFuture.gather(counts).result().stream()
                .mapToInt(Integer::intValue)
                .sum();
        System.out.println(total + " words in " + counts.size() + " pages");
        return total;
    });
    // end-snippet:io-subflow

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        wordCount.call();
    }
}
