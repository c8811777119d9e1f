package dev.weft.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.weft.Flow;
import dev.weft.FlowRunFuture;
import dev.weft.Settings;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunHistoryProvider;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import dev.weft.spi.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through its chromedriver by
 * Selenium, watches a real flow of ten thousand task runs on the fork-join runner, some of which fail, and
 * the page reaches the flow's final counts, shows the failures' messages, and shows the runs of a second
 * process that shares the history. It saves a screenshot of each page to {@code target/screenshots}.
 *
 * <p>Needs {@code chromium} and {@code chromium-driver} ({@code apt-get install chromium chromium-driver});
 * {@code WEFT_CHROMIUM} and {@code WEFT_CHROMEDRIVER} name other binaries. Without them the test is skipped,
 * saying so, except under CI ({@code CI=true}), where it fails. It leaves no browser process behind.
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
final class DashboardBrowserTest {
    private static final Path CHROMIUM = binary("WEFT_CHROMIUM", "/usr/bin/chromium");
    private static final Path CHROMEDRIVER = binary("WEFT_CHROMEDRIVER", "/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final int TASK_RUNS = 10_000;
    private static final int FAIL_EVERY = 500; // 20 of them fail

    private static final Task1<Integer, Double> READ_SENSOR = Task.of("read_sensor", (Integer i) -> {
        Thread.sleep(2 + i % 5); // long enough for the task stream to show bars
        if (i % FAIL_EVERY == FAIL_EVERY - 1) {
            throw new IllegalStateException("sensor " + i + " out of range: reading 9999.0 above 250.0");
        }
        return i * 0.5;
    });

    @TempDir
    Path home;

    /** The history this process and {@link OtherProcess} share: a SQLite file in {@link #home}. */
    private RunHistory history;

    private Process other;
    private final SlotStore slots = SlotStores.inMemory();
    private final CountDownLatch releaseSlots = new CountDownLatch(1);
    private DashboardServer dashboard;
    private ChromeDriverService driverService;
    private ChromeDriver browser;

    private static Path binary(String variable, String byDefault) {
        String named = System.getenv(variable);
        return Path.of(named == null || named.isBlank() ? byDefault : named);
    }

    @BeforeEach
    void needsChromium() {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                missing.add(p.toString());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String why = "The browser test needs Chromium and its driver, and " + String.join(" and ", missing)
                + " cannot be run: apt-get install chromium chromium-driver (or set WEFT_CHROMIUM and"
                + " WEFT_CHROMEDRIVER)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        abort(why);
    }

    @AfterEach
    void stopEverything() throws Exception {
        releaseSlots.countDown();
        try {
            if (other != null) {
                other.getOutputStream().close(); // its running flow ends
                if (!other.waitFor(30, TimeUnit.SECONDS)) {
                    other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (driverService != null) {
                driverService.stop();
            }
            if (dashboard != null) {
                dashboard.close();
            }
            RunHistories.use(null);
            if (history != null) {
                history.close();
            }
            SlotStores.use(null);
            slots.close();
            assertThat(browserProcessesLeft())
                    .as("browser processes left behind")
                    .isEmpty();
        }
    }

    /** Ends what is left of the browser processes this test started, and returns those that were left. */
    private static List<String> browserProcessesLeft() throws InterruptedException {
        List<String> left = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            List<ProcessHandle> alive = ProcessHandle.current()
                    .descendants()
                    .filter(ProcessHandle::isAlive)
                    .filter(p ->
                            p.info().command().map(c -> c.contains("chrom")).orElse(false))
                    .toList();
            if (alive.isEmpty()) {
                return left;
            }
            if (System.nanoTime() > deadline) {
                for (ProcessHandle p : alive) {
                    left.add(p.pid() + " " + p.info().command().orElse("?"));
                    p.destroyForcibly();
                }
                return left;
            }
            Thread.sleep(100);
        }
    }

    private void openBrowser() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.deleteIfExists(SCREENSHOTS.resolve("failed.png"));
        Path profile = Files.createTempDirectory("weft-dashboard-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // CI runs as root, where Chromium's sandbox does not start
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--window-size=1440,1000",
                "--user-data-dir=" + profile);
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driverService.start();
        browser = new ChromeDriver(driverService, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @Test
    void shouldShowARealFlowOfTenThousandTaskRunsLiveWithItsFailuresAndTheRunsOfAnotherProcess() throws Exception {
        history = storeHistory(home);
        RunHistories.use(history);
        SlotStores.use(slots);
        slots.create("database", 3);
        slots.create("gpu", 1);
        BlockingQueue<String> said = startTheOtherProcess();
        String otherProcess = awaitLine(said, "process ").substring("process ".length());
        String otherEnded = awaitLine(said, "ended ").substring("ended ".length());
        String otherRunning = awaitLine(said, "running ").substring("running ".length());
        dashboard = DashboardServer.start("127.0.0.1", 0, "a-token", () -> history, () -> slots);
        openBrowser();
        browser.get(dashboard.uri().toString());
        await("the other process's runs on the list", () -> text("#runs [data-run-name='" + otherEnded + "']"));

        // a flow that holds three slots of the "database" limit while the page looks
        Task1<Integer, Integer> query = Task.of("query", (Integer i) -> {
                    releaseSlots.await();
                    return i;
                })
                .withTags("database");
        FlowRunFuture<List<Integer>> holding = Flow.of("nightly-etl", () -> {
                    List<TaskFuture<Integer>> runs = query.map(List.of(1, 2, 3));
                    return runs.stream().map(TaskFuture::result).toList();
                })
                .start();

        // the flow of ten thousand task runs, watched live
        FlowRunFuture<Void> sweep = Flow.of(
                        "sensor-sweep",
                        ForkJoinTaskRunner.builder()
                                .workers(4)
                                .threadsPerWorker(2)
                                .build(),
                        () -> {
                            for (int i = 0; i < TASK_RUNS; i++) {
                                READ_SENSOR.submit(i); // the flow run's state counts them all
                            }
                        })
                .start();
        RunRecord run = await(
                "the sweep's flow run in the history",
                () -> history.flowRuns(RunQuery.all().named("sensor-sweep")).stream()
                        .findFirst()
                        .orElse(null));
        await("the sweep on the list, running", () -> text("#runs [data-run-id='" + run.flowRunId() + "'] .badge")
                .filter(s -> s.equals("Running"))
                .orElse(null));
        browser.get(dashboard.uri() + "#/run/" + run.flowRunId());
        await("its first task runs on its page", () -> text("#counts [data-state=COMPLETED] b")
                .orElse(null));
        if (!sweep.isDone()) { // the list saw it live already; a picture of its page live, where there is time
            screenshot("run-live");
        }

        State<Void> state = sweep.await();
        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(RunHistories.flush(Duration.ofSeconds(30))).isTrue();
        long completed = history.countTaskRuns(run.flowRunId()).get(StateType.COMPLETED);
        long failed = history.countTaskRuns(run.flowRunId()).get(StateType.FAILED);
        assertThat(completed + failed).isEqualTo(TASK_RUNS);
        assertThat(failed).isEqualTo(TASK_RUNS / FAIL_EVERY);

        // the flow run's page reaches its final counts, draws its stream and shows its failures' messages
        await("the final counts on the run's page", () -> text("#counts [data-state=COMPLETED] b")
                .filter(n -> n.equals(number(completed)))
                .orElse(null));
        assertThat(text("#counts [data-state=FAILED] b")).hasValue(number(failed));
        assertThat(text("#counts [data-state=TOTAL] b")).hasValue(number(TASK_RUNS));
        assertThat(text("#run-head .badge")).hasValue("Failed");
        await("the failures' messages", () -> text("#failures [data-task-run$='-499'] .message")
                .filter(m -> m.contains("sensor 499 out of range: reading 9999.0 above 250.0"))
                .orElse(null));
        assertThat(browser.findElements(By.cssSelector("#failures tr.failure"))).hasSize((int) failed);
        await("the task stream drawn", () -> attribute("#stream", "data-bars")
                .filter(n -> n.equals(String.valueOf(Pages.STREAM_MAX)))
                .orElse(null));
        assertThat(attribute("#stream", "data-lanes").map(Integer::parseInt))
                .hasValueSatisfying(lanes -> assertThat(lanes).isBetween(8, 64));
        screenshot("run");

        // the list: the sweep with its final counts, beside the other process's runs
        browser.get(dashboard.uri() + "#/");
        String row = "#runs [data-run-id='" + run.flowRunId() + "']";
        await("the final counts on the list", () -> text(row + " .chip[data-state=COMPLETED]")
                .filter(n -> n.equals(number(completed)))
                .orElse(null));
        assertThat(text(row + " .chip[data-state=FAILED]")).hasValue(number(failed));
        assertThat(text(row + " [data-total]")).hasValue(number(TASK_RUNS));
        assertThat(text("#runs [data-run-name='" + otherEnded + "']"))
                .hasValueSatisfying(r -> assertThat(r).contains(otherProcess).contains("Completed"));
        await("the other process's running flow run", () -> text("#runs [data-run-name='" + otherRunning + "'] .badge")
                .filter("Running"::equals)
                .orElse(null));
        screenshot("runs");

        // workers: this process's fork-join threads, and the other process's
        browser.get(dashboard.uri() + "#/workers");
        await("the other process's workers", () -> text("#workers [data-process='" + otherProcess + "']")
                .filter(s -> s.contains("weft-forkjoin-3"))
                .orElse(null));
        String here = ProcessHandle.current().pid() + "@";
        assertThat(browser.findElements(By.cssSelector("#workers [data-process^='" + here + "'] [data-worker]")))
                .hasSizeGreaterThanOrEqualTo(4);
        // this process's live counts, from its counters file: at least this flow's runs (the process counts
        // every flow run since it began)
        String counted = "#workers [data-process^='" + here + "'] [data-counted-runner=ForkJoinTaskRunner]";
        await("this process's live counts", () -> text(counted + " [data-metric=completed]")
                .map(n -> Long.parseLong(n.replace(",", "")))
                .filter(n -> n >= TASK_RUNS - TASK_RUNS / FAIL_EVERY)
                .orElse(null));
        assertThat(text(counted + " [data-metric=running]")).hasValue("0");
        screenshot("workers");

        // tag limits: the three slots the holding flow takes
        browser.get(dashboard.uri() + "#/limits");
        await("the database limit's slots", () -> attribute("#limits [data-tag=database] [data-active]", "data-active")
                .filter(n -> n.equals("3"))
                .orElse(null));
        assertThat(text("#limits [data-tag=database]"))
                .hasValueSatisfying(s -> assertThat(s).contains("3 / 3").contains("query-"));
        assertThat(text("#limits [data-tag=gpu]"))
                .hasValueSatisfying(s -> assertThat(s).contains("0 / 1"));
        screenshot("limits");

        releaseSlots.countDown();
        assertThat(holding.await().type()).isEqualTo(StateType.COMPLETED);
        assertThat(text("#error")).as("no error line on the page").hasValue("");
    }

    @Test
    void shouldShowAStoreThatFailsAsOneLineOnThePage() throws Exception {
        String broken = "The run history in SQLite file /srv/weft/weft.db cannot be read: [SQLITE_BUSY] the database"
                + " is locked";
        dashboard = DashboardServer.start(
                "127.0.0.1",
                0,
                null,
                () -> {
                    throw new StoreException(broken, null);
                },
                () -> slots);
        openBrowser();
        browser.get(dashboard.uri().toString());

        await(
                "the store's error on the page",
                () -> text("#error").filter(broken::equals).orElse(null));
        assertThat(text("h1")).hasValue("Flow runs");
        screenshot("error");
    }

    /** Opens the store's run history (SQLite) in a home of its own, as another process opens it too. */
    private static RunHistory storeHistory(Path home) {
        RunHistoryProvider store = java.util.ServiceLoader.load(RunHistoryProvider.class).stream()
                .map(java.util.ServiceLoader.Provider::get)
                .findFirst()
                .orElseThrow(() -> new AssertionError("weft-store is not on the test class path"));
        return store.open(new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE));
    }

    /**
     * Starts {@link OtherProcess} in a JVM of its own, on the same history: it ends a flow run and keeps
     * another running. Returns what it prints, line by line.
     */
    private BlockingQueue<String> startTheOtherProcess() throws java.io.IOException {
        other = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Dweft.home=" + home,
                        OtherProcess.class.getName())
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(
                    new java.io.InputStreamReader(other.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("(output lost: " + e + ")");
            }
        });
        return lines;
    }

    /** Waits for a line that starts with {@code prefix}; fails with everything the process printed. */
    private static String awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (; ; ) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("The other process printed no line starting with '" + prefix + "' within "
                        + PATIENCE + "; it printed:\n" + String.join("\n", seen));
            }
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    // ---- the page -------------------------------------------------------------------------------------

    private Optional<String> text(String css) {
        return read(css, e -> e.getText().strip());
    }

    private Optional<String> attribute(String css, String name) {
        return read(css, e -> e.getDomAttribute(name));
    }

    /** Reads the first element that matches, again if the page replaced it meanwhile (it does on each update). */
    private Optional<String> read(String css, java.util.function.Function<WebElement, String> what) {
        for (int tries = 1; ; tries++) {
            try {
                List<WebElement> found = browser.findElements(By.cssSelector(css));
                return found.isEmpty() ? Optional.empty() : Optional.ofNullable(what.apply(found.getFirst()));
            } catch (StaleElementReferenceException e) {
                if (tries == 10) {
                    throw e;
                }
            }
        }
    }

    private static String number(long n) {
        return String.format(java.util.Locale.US, "%,d", n);
    }

    private <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (WebDriverException e) { // the page replaced the element while it was read
                last = e;
            }
            Thread.sleep(100);
        }
        screenshot("failed");
        throw new AssertionError(
                "Not on the page within " + PATIENCE.toSeconds() + " s: " + what + "; error line: "
                        + text("#error").orElse("(none)"),
                last);
    }

    private void screenshot(String page) {
        try {
            Files.write(SCREENSHOTS.resolve(page + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException | WebDriverException e) {
            throw new AssertionError("Could not save the screenshot of " + page, e);
        }
    }
}
