package dev.weft.internal;

import java.io.PrintStream;
import java.io.Serial;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ServiceLoader;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Weft's loggers. Through SLF4J, so that the application's logging configuration decides where Weft's lines
 * go; but an application with no SLF4J provider on its class path would see none of them (SLF4J then
 * drops every line), so then Weft prints its own lines, INFO and above, to standard output in the seed
 * pages' format ({@code 13:46:58.865 | Beginning flow run ...}, with the level shown for warnings and
 * errors), and says once how to configure it instead.
 */
final class Logs {
    private static final boolean NO_PROVIDER = noProvider();

    private Logs() {}

    /**
     * Returns the logger of a name.
     *
     * @param name such as {@code dev.weft.flow_runs}
     * @return SLF4J's logger, or Weft's console logger when SLF4J has no provider
     */
    static Logger get(String name) {
        return NO_PROVIDER ? new ConsoleLogger(name) : LoggerFactory.getLogger(name);
    }

    private static boolean noProvider() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof NOPLoggerFactory) || System.getProperty("slf4j.provider") != null) {
            return false;
        }
        // SLF4J drops lines both with no provider and with slf4j-nop; only the first is an accident
        if (ServiceLoader.load(SLF4JServiceProvider.class, LoggerFactory.class.getClassLoader())
                .iterator()
                .hasNext()) {
            return false;
        }
        System.out.println(LocalTime.now().format(ConsoleLogger.CLOCK)
                + " | No SLF4J provider is on the class path: Weft prints its own lines here (add one, such as"
                + " logback-classic, to configure them)");
        return true;
    }

    /** Prints INFO and above to standard output, in the seed's format. */
    private static final class ConsoleLogger extends LegacyAbstractLogger {
        @Serial
        private static final long serialVersionUID = 1L;

        static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

        ConsoleLogger(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(
                Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            String line = LocalTime.now().format(CLOCK) + " | " + (level == Level.INFO ? "" : level + " | ") + message;
            PrintStream out = System.out;
            synchronized (out) {
                out.println(line);
                if (throwable != null) {
                    throwable.printStackTrace(out);
                }
            }
        }
    }
}
