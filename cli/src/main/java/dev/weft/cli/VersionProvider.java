package dev.weft.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Prints Weft's version, which the build writes into {@code version.properties}, and the JVM's. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                build.load(in);
            }
        }
        return new String[] {
            "weft " + build.getProperty("version", "(unknown version)"),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.home") + ")"
        };
    }
}
