package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weft's counters file is laid out as Agrona's counters: Agrona's own reader reads its labels and values. */
final class AgronaReadsCountersTest {
    @TempDir
    Path dir;

    @Test
    void shouldBeReadByAgronasCountersReader() throws IOException {
        Counters counters = Counters.openIn(dir);
        Counters.RunnerCounts runner = counters.runner("ForkJoinTaskRunner");
        runner.completed.add(5);
        runner.failed.add(2);
        counters.tag("db").waiting.add(3);

        MappedByteBuffer map;
        try (FileChannel channel = FileChannel.open(counters.file())) {
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        map.order(ByteOrder.nativeOrder());
        int metadataOffset = map.getInt(CountersLayout.METADATA_OFFSET_OFFSET);
        int metadataLength = map.getInt(CountersLayout.METADATA_LENGTH_OFFSET);
        int valuesOffset = map.getInt(CountersLayout.VALUES_OFFSET_OFFSET);
        int valuesLength = map.getInt(CountersLayout.VALUES_LENGTH_OFFSET);
        CountersReader reader = new CountersReader(
                new UnsafeBuffer(map, metadataOffset, metadataLength),
                new UnsafeBuffer(map, valuesOffset, valuesLength));

        Map<String, Long> byLabel = new HashMap<>();
        Map<String, Integer> types = new HashMap<>();
        reader.forEach((id, typeId, key, label) -> {
            byLabel.merge(label, reader.getCounterValue(id), Long::sum); // the stripes add up
            types.put(label, typeId);
        });
        assertThat(byLabel)
                .containsEntry("task runs completed: ForkJoinTaskRunner", 5L)
                .containsEntry("task runs failed: ForkJoinTaskRunner", 2L)
                .containsEntry("task runs started: ForkJoinTaskRunner", 0L)
                .containsEntry("slots waited for: db", 3L);
        assertThat(types)
                .containsEntry("task runs completed: ForkJoinTaskRunner", Counters.COMPLETED)
                .containsEntry("slots waited for: db", Counters.SLOTS_WAITING);
    }
}
