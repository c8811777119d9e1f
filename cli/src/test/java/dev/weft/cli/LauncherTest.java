package dev.weft.cli;

import java.util.List;

/** The {@code ./weft} launcher at the repository's root: it runs {@code cli/target/weft.jar}. */
class LauncherTest extends LauncherContract {
    @Override
    Launcher launcher() {
        return new Launcher("weft", "cli/target/weft.jar", "cli", "Weft", List.of(), List.of());
    }
}
