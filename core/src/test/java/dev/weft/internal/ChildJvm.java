package dev.weft.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JVM of its own for a test: this JVM's {@code java} and class path, running a test's main class. */
final class ChildJvm {
    private ChildJvm() {}

    /**
     * Returns a process builder for {@code main} in a new JVM.
     *
     * @param main the class whose {@code main} runs
     * @param jvmOptions options before the class, such as {@code -Dweft.history=off}
     * @param args the program's arguments
     * @return the builder, not started
     */
    static ProcessBuilder of(Class<?> main, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
