/**
 * What a store of concurrency limits implements: {@link dev.weft.spi.SlotStore}, found through {@link
 * java.util.ServiceLoader} as a {@link dev.weft.spi.SlotStoreProvider}. Without one on the class path,
 * limits hold inside one process, in memory.
 */
package dev.weft.spi;
