package dev.weft.examples.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records every line Weft logs about task runs while it is open, DEBUG included ({@code Task run '...'
 * entered state Running}), in the order they were logged, and restores the logger's level when closed.
 * The console keeps showing INFO and above only (see {@code logback-test.xml}).
 */
public final class TaskRunLog implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.weft.task_runs");
    private final Level previous = logger.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private TaskRunLog() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    /**
     * Starts recording.
     *
     * @return the open log; close it to stop
     */
    public static TaskRunLog record() {
        return new TaskRunLog();
    }

    /**
     * Returns the lines logged so far.
     *
     * @return the formatted messages, in the order they were logged
     */
    public List<String> lines() {
        synchronized (appender) {
            return appender.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    @Override
    public void close() {
        logger.setLevel(previous);
        logger.detachAppender(appender);
        appender.stop();
    }
}
