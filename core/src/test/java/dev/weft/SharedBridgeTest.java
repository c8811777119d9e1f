package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.contract.Conditions;
import dev.weft.contract.Shared;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a second JVM, given the bridge's address, does with the shared objects of the test's JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SharedBridgeTest {
    private static final int CHILD_SECONDS = 30;

    @Test
    void shouldServeTheSameAddressOnEveryCall() {
        String address = Shared.serve();
        assertThat(address).matches("127\\.0\\.0\\.1:[0-9]+");
        assertThat(Shared.serve()).isEqualTo(address);
    }

    @Test
    void shouldUseARefAndACounterInTheTestJvmAsPlainObjectsThatReadBackAsThemselves() throws Exception {
        Shared.Counter counter = Shared.counter();
        assertThat(counter.get()).isEqualTo(0);
        assertThat(counter.incrementAndGet()).isEqualTo(1);
        assertThat(counter.getAndIncrement()).isEqualTo(1);
        assertThat(counter.decrementAndGet()).isEqualTo(1);
        assertThat(counter.getAndDecrement()).isEqualTo(1);
        assertThat(counter.addAndGet(5)).isEqualTo(5);
        assertThat(counter.getAndAdd(2)).isEqualTo(5);
        assertThat(counter.compareAndSet(6, 0)).isFalse();
        assertThat(counter.compareAndSet(7, 8)).isTrue();
        counter.set(9);
        assertThat(counter.intValue()).isEqualTo(9);
        assertThat(counter).hasToString("9");
        assertThat(roundTrip(counter)).isSameAs(counter);

        Shared.Ref<String> ref = Shared.ref();
        assertThat(ref.get()).isNull();
        assertThat(ref).hasToString("null");
        ref.set("a");
        assertThat(ref.getAndSet("b")).isEqualTo("a");
        assertThat(ref.compareAndSet("a", "c")).isFalse();
        assertThat(ref.compareAndSet(new String("b"), "c"))
                .as("compares by equals")
                .isTrue();
        assertThat(ref.get()).isEqualTo("c");
        assertThat(ref).hasToString("c");
        assertThat(roundTrip(ref)).isSameAs(ref);
    }

    @Test
    void shouldLetAnotherJvmUseTheSharedObjectsOfTheTest() throws Exception {
        ConcurrentLinkedQueue<String> events = Shared.queue();
        ConcurrentLinkedQueue<String> scratch = Shared.queue();
        CompletableFuture<String> gate = Shared.future();
        CompletableFuture<String> done = Shared.future();
        CompletableFuture<String> failed = Shared.future();
        Shared.Counter counter = Shared.counter();
        Shared.Ref<String> ref = Shared.ref();
        Process child = start(events, scratch, gate, done, failed, counter, ref);
        try {
            CompletableFuture<String> output = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> output.complete(readAll(child)));
            Conditions.await("the child to be ready", () -> events.contains("ready"));
            gate.complete("open");

            assertThat(done.get(CHILD_SECONDS, TimeUnit.SECONDS)).isEqualTo("done by the child");
            assertThatThrownBy(() -> failed.get(CHILD_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("failed by the child");
            assertThat(child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS))
                    .as("the child exited in time")
                    .isTrue();
            String out = output.get(CHILD_SECONDS, TimeUnit.SECONDS);
            assertThat(child.exitValue()).as(out).isZero();
            assertThat(events).containsExactly("ready", "gate open", "counted to 5", "ref swapped");
            assertThat(scratch).containsExactly("c");
            assertThat(counter.get()).isEqualTo(5);
            assertThat(counter.toString()).isEqualTo("5");
            assertThat(ref.get()).isEqualTo("swapped by the child");
            assertThat(ref.toString()).isEqualTo("swapped by the child");
            assertThat(echoed(out, "gate")).as("the child's gate, sent back").isSameAs(gate);
            assertThat(echoed(out, "counter"))
                    .as("the child's counter, sent back")
                    .isSameAs(counter);
            assertThat(echoed(out, "ref")).as("the child's ref, sent back").isSameAs(ref);
        } finally {
            child.destroyForcibly();
            child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Serializes an object and reads it back, in this JVM. */
    private static Object roundTrip(Object o) throws IOException, ClassNotFoundException {
        return decode(encode(o));
    }

    /** Reads back the object the child printed, serialized again, after {@code name=}. */
    private static Object echoed(String out, String name) throws IOException, ClassNotFoundException {
        String prefix = name + "=";
        return decode(out.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " echoed in: " + out))
                .substring(prefix.length()));
    }

    /** Starts a JVM on this one's class path that runs {@link Child} on the objects given. */
    private static Process start(Object... shared) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-cp");
        command.add(classPath());
        command.add("-D" + Shared.BRIDGE_PROPERTY + "=" + Shared.serve());
        command.add(Child.class.getName());
        for (Object o : shared) {
            command.add(encode(o));
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Returns the class path of this JVM, with what it loads from the module path. */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.add(value);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Returns all that a process wrote, once it has closed its output. */
    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serializes an object as Base64. */
    static String encode(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Reads back an object serialized as Base64. */
    @SuppressWarnings("unchecked")
    static <T> T decode(String base64) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(
                new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return (T) in.readObject();
        }
    }

    /**
     * The second JVM: reads the test's shared objects from its arguments, uses them, and prints the gate
     * future, the counter and the ref serialized again. Any failure ends it with a non-zero status.
     */
    static final class Child {
        private Child() {}

        /** Runs on the events queue, a scratch queue, the gate, done and failed futures, a counter and a ref. */
        public static void main(String[] args) throws Exception {
            ConcurrentLinkedQueue<String> events = decode(args[0]);
            ConcurrentLinkedQueue<String> scratch = decode(args[1]);
            CompletableFuture<String> gate = decode(args[2]);
            CompletableFuture<String> done = decode(args[3]);
            CompletableFuture<String> failed = decode(args[4]);
            check(decode(args[2]) == gate, "a handle read twice is one proxy");

            events.add("ready");
            events.offer("gate " + gate.get(CHILD_SECONDS, TimeUnit.SECONDS));

            check(scratch.isEmpty(), "the scratch queue starts empty");
            scratch.add("a");
            scratch.addAll(List.of("b", "c"));
            check(scratch.size() == 3, "three in the scratch queue");
            check("a".equals(scratch.peek()) && "a".equals(scratch.poll()), "a first");
            check(scratch.contains("b") && scratch.remove("b"), "b removed");
            check(scratch.toString().equals("[c]"), "c left, not " + scratch);
            try {
                scratch.iterator();
                check(false, "a proxied queue does not iterate");
            } catch (UnsupportedOperationException expected) {
                // as documented
            }

            check(done.complete("done by the child"), "done completed here");
            check("done by the child".equals(done.join()), "done reads its value here too");
            check(failed.completeExceptionally(new IllegalArgumentException("failed by the child")), "failed here");
            check(failed.isCompletedExceptionally(), "failed reads as failed here too");

            Shared.Counter counter = decode(args[5]);
            check(decode(args[5]) == counter, "a counter read twice is one proxy");
            check(counter.get() == 0, "the counter starts at 0, not " + counter.get());
            for (int i = 1; i <= 5; i++) {
                int counted = counter.incrementAndGet();
                check(counted == i, "increment " + i + " returned " + counted);
            }
            check(counter.intValue() == 5 && "5".equals(counter.toString()), "the counter reads 5 here too");
            events.add("counted to " + counter.get());

            Shared.Ref<String> ref = decode(args[6]);
            check(ref.get() == null, "the ref starts null, not " + ref.get());
            ref.set("set by the child");
            check("set by the child".equals(ref.get()), "the ref reads what was set, not " + ref.get());
            check(!ref.compareAndSet("something else", "not swapped"), "a compareAndSet from another value fails");
            check(ref.compareAndSet("set by the child", "swapped by the child"), "a compareAndSet by equal value");
            check("swapped by the child".equals(ref.toString()), "the ref reads swapped, not " + ref);
            events.add("ref swapped");
            System.out.println("gate=" + encode(gate));
            System.out.println("counter=" + encode(counter));
            System.out.println("ref=" + encode(ref));
        }

        /** Fails the child where the condition does not hold. */
        private static void check(boolean condition, String what) {
            if (!condition) {
                throw new AssertionError(what);
            }
        }
    }
}
