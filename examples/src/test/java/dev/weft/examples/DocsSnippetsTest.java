package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The code in the docs is the code of the examples. A region of a source is marked
 *
 * <pre>
 * // snippet:elevator
 * ...
 * // end-snippet:elevator
 * </pre>
 *
 * and a Markdown page shows it in the fenced {@code java} block right after a marker line
 *
 * <pre>
 * &lt;!-- snippet: examples/src/main/java/dev/weft/examples/seed/SequentialElevator.java#elevator --&gt;
 * </pre>
 *
 * whose path is relative to the repository's root. A block must equal its region but for indentation.
 * Every {@code java} block of the docs (the pages under {@code docs/} and the README) has a marker, and
 * every region is shown somewhere.
 */
class DocsSnippetsTest {
    // Surefire runs in the module's directory, examples/.
    private static final Path ROOT = Path.of("..");
    private static final Path DOCS = ROOT.resolve("docs");
    private static final Path SOURCES = ROOT.resolve("examples/src/main/java");

    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#([\\w-]+) -->");
    private static final Pattern REGION_START = Pattern.compile("\\s*// snippet:([\\w-]+)");
    private static final String FENCE_JAVA = "```java";
    private static final String FENCE = "```";

    /** A fenced block of a page and the region it claims to show. */
    private record Shown(Path page, int line, Path source, String region, List<String> block) {}

    @TestFactory
    Stream<DynamicTest> shouldShowEachRegionAsItIsInTheSource() throws IOException {
        List<Shown> shown = shownBlocks();
        assertThat(shown)
                .as("snippet markers in " + DOCS.toAbsolutePath().normalize())
                .isNotEmpty();
        return shown.stream()
                .map(s -> DynamicTest.dynamicTest(
                        ROOT.relativize(s.page) + ":" + s.line + " " + s.region, () -> assertThat(normalize(s.block))
                                .as("the block at %s line %d, against %s#%s", s.page, s.line, s.source, s.region)
                                .isEqualTo(normalize(region(ROOT.resolve(s.source), s.region)))));
    }

    @Test
    void shouldShowEveryRegionOfTheExamplesInTheDocs() throws IOException {
        Set<String> shown = new HashSet<>();
        for (Shown s : shownBlocks()) {
            shown.add(s.source.normalize() + "#" + s.region);
        }
        List<String> regions = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher m = REGION_START.matcher(line);
                    if (m.matches()) {
                        regions.add(ROOT.relativize(file).normalize() + "#" + m.group(1));
                    }
                }
            }
        }

        assertThat(regions).isNotEmpty().allMatch(shown::contains, "is shown in docs/ or the README");
    }

    @Test
    void shouldListEveryExampleByNameInTheTaskRunnersPage() throws IOException {
        String page = Files.readString(DOCS.resolve("task-runners.md"));

        assertThat(Examples.all()).allMatch(e -> page.contains("`" + e.name() + "`"), "is listed in the page");
    }

    /** Reads every page of the docs and pairs each marker with the fenced block after it. */
    private static List<Shown> shownBlocks() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.list(DOCS)) {
            pages.addAll(
                    files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        List<Shown> shown = new ArrayList<>();
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.equals(FENCE_JAVA)) {
                    throw new AssertionError(page + " line " + (i + 1) + ": a java block without a snippet marker");
                }
                Matcher m = MARKER.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                int open = i + 1;
                if (open >= lines.size() || !lines.get(open).strip().equals(FENCE_JAVA)) {
                    throw new AssertionError(
                            page + " line " + (i + 1) + ": a snippet marker not followed by a java block");
                }
                int close = open + 1;
                while (close < lines.size() && !lines.get(close).strip().equals(FENCE)) {
                    close++;
                }
                if (close == lines.size()) {
                    throw new AssertionError(page + " line " + (open + 1) + ": a java block that never closes");
                }
                shown.add(new Shown(page, i + 1, Path.of(m.group(1)), m.group(2), lines.subList(open + 1, close)));
                i = close;
            }
        }
        return shown;
    }

    /** Returns the lines between {@code // snippet:<id>} and {@code // end-snippet:<id>} of a source. */
    private static List<String> region(Path source, String id) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals("// snippet:" + id)) {
                if (start >= 0) {
                    throw new AssertionError(source + " opens region '" + id + "' twice");
                }
                start = i + 1;
            } else if (line.equals("// end-snippet:" + id)) {
                if (start < 0) {
                    throw new AssertionError(source + " closes region '" + id + "' before opening it");
                }
                return lines.subList(start, i);
            }
        }
        throw new AssertionError(source + " has no complete region '" + id + "'");
    }

    /** Removes the indentation the lines share and trailing blanks, so only the code is compared. */
    private static List<String> normalize(List<String> lines) {
        int indent = lines.stream()
                .filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length())
                .min()
                .orElse(0);
        return lines.stream()
                .map(line -> line.isBlank() ? "" : line.substring(indent).stripTrailing())
                .toList();
    }
}
