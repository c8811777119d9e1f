package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The layout of a Weft counters file, shared by the process that writes it and the tools that read it.
 *
 * <p>A header of {@value #HEADER_LENGTH} bytes, then the counters in the layout of Agrona's {@code
 * CountersManager} (as Aeron's counters file holds them): a metadata buffer of {@value #METADATA_LENGTH}
 * bytes per counter (record state, type id, free-for-reuse deadline, key, label) and a values buffer of
 * {@value #COUNTER_LENGTH} bytes per counter (the value in its first 8 bytes, each on its own cache lines).
 * Agrona's {@code CountersReader} over the two buffers reads it. Weft writes it through {@link VarHandle}s
 * on a mapped buffer, so that no process needs Agrona's access to the JDK's internals ({@code --add-opens}).
 *
 * <p>The header: magic {@code WEFT} (int), version (int), pid (long), start in epoch milliseconds (long),
 * metadata offset, metadata length, values offset, values length (ints), command length (int) and the
 * command's bytes (UTF-8), up to {@value #MAX_COMMAND_LENGTH}.
 */
public final class CountersLayout {
    private CountersLayout() {}

    /** The first int of a file whose header is complete: {@code WEFT} in ASCII, read little-endian. */
    public static final int MAGIC = 0x54464557;
    /** The layout's version, the header's second int. */
    public static final int VERSION = 2;
    /** The header's length; the metadata buffer starts there. */
    public static final int HEADER_LENGTH = 4096;
    /** Where the header holds the process's id (long). */
    public static final int PID_OFFSET = 8;
    /** Where the header holds the process's start, in epoch milliseconds (long). */
    public static final int START_OFFSET = 16;
    /** Where the header holds the metadata buffer's offset in the file (int). */
    public static final int METADATA_OFFSET_OFFSET = 24;
    /** Where the header holds the metadata buffer's length (int). */
    public static final int METADATA_LENGTH_OFFSET = 28;
    /** Where the header holds the values buffer's offset in the file (int). */
    public static final int VALUES_OFFSET_OFFSET = 32;
    /** Where the header holds the values buffer's length (int). */
    public static final int VALUES_LENGTH_OFFSET = 36;
    /** Where the header holds the length of the process's command (int). */
    public static final int COMMAND_LENGTH_OFFSET = 40;
    /** Where the header holds the process's command, UTF-8. */
    public static final int COMMAND_OFFSET = 44;
    /** The most bytes of the command the header holds. */
    public static final int MAX_COMMAND_LENGTH = 1024;

    /** Agrona's {@code BitUtil.CACHE_LINE_LENGTH}. */
    public static final int CACHE_LINE_LENGTH = 64;
    /** Agrona's record state of a counter record never allocated: readers stop at the first. */
    public static final int RECORD_UNUSED = 0;
    /** Agrona's record state of an allocated counter. */
    public static final int RECORD_ALLOCATED = 1;
    /** Agrona's offset of the type id in a metadata record. */
    public static final int TYPE_ID_OFFSET = 4;
    /** Agrona's offset of the free-for-reuse deadline in a metadata record. */
    public static final int FREE_FOR_REUSE_DEADLINE_OFFSET = 8;
    /** Agrona's offset of the key in a metadata record. */
    public static final int KEY_OFFSET = 16;
    /** Agrona's offset of the label (its length, then its bytes) in a metadata record. */
    public static final int LABEL_OFFSET = CACHE_LINE_LENGTH * 2;
    /** Agrona's room for a label with its length. */
    public static final int FULL_LABEL_LENGTH = CACHE_LINE_LENGTH * 6;
    /** Agrona's longest label. */
    public static final int MAX_LABEL_LENGTH = FULL_LABEL_LENGTH - 4;
    /** Agrona's longest key. */
    public static final int MAX_KEY_LENGTH = (CACHE_LINE_LENGTH * 2) - (4 * 2) - 8;
    /** Agrona's length of a metadata record. */
    public static final int METADATA_LENGTH = LABEL_OFFSET + FULL_LABEL_LENGTH;
    /** Agrona's length of a value record: the value, then padding to two cache lines. */
    public static final int COUNTER_LENGTH = CACHE_LINE_LENGTH * 2;
    /** Agrona's deadline of a record that is never reused. */
    public static final long NOT_FREE_TO_REUSE = Long.MAX_VALUE;

    /** The suffix of a counters file's name, after the process's id. */
    public static final String SUFFIX = ".counters";

    /** Ints of a mapped buffer, in the machine's order, with atomic access modes. */
    public static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /** Longs of a mapped buffer, in the machine's order, with atomic access modes. */
    public static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /**
     * Returns the directory of the counters files: {@code weft.counters.dir}, else {@code WEFT_COUNTERS_DIR}, else
     * {@code /dev/shm/weft-USER} where there is a {@code /dev/shm} (memory, as Aeron's), else {@code
     * weft-USER} in the temporary directory.
     *
     * @return the directory
     */
    public static Path directory() {
        String set = System.getProperty("weft.counters.dir");
        if (set == null || set.isBlank()) {
            set = System.getenv("WEFT_COUNTERS_DIR");
        }
        if (set != null && !set.isBlank()) {
            return Path.of(set);
        }
        String user =
                System.getProperty("user.name", "user").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
        Path shm = Path.of("/dev/shm");
        Path base =
                Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("weft-" + user);
    }
}
