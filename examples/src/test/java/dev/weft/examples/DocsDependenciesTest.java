package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every {@code <dependency>} the docs show works as written in a user's {@code pom.xml}: it has a version, or
 * it is a Weft module on a page that imports {@code dev.weft:weft-bom}, which manages it. The docs name only
 * modules that exist, at the reactor's version; the BOM manages every module they name, and carries no
 * parent whose dependency management it would impose on its importers. The pages are the README and the
 * pages under {@code docs/}; a {@code <dependency>} or {@code <plugin>} is read from each fenced {@code xml}
 * block that holds one.
 */
class DocsDependenciesTest {
    // Surefire runs in the module's directory, examples/.
    private static final Path ROOT = Path.of("..");
    private static final String WEFT = "dev.weft";
    private static final String BOM = "weft-bom";

    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([\\w.-]+)}");

    /** A {@code <dependency>} of a page. */
    private record Dependency(Path page, String groupId, String artifactId, String version, String type, String scope) {
        boolean isBomImport() {
            return WEFT.equals(groupId) && BOM.equals(artifactId) && "pom".equals(type) && "import".equals(scope);
        }

        @Override
        public String toString() {
            return page + ": " + groupId + ":" + artifactId + (version == null ? "" : ":" + version);
        }
    }

    /** A {@code <plugin>} of a page. */
    private record Plugin(Path page, String groupId, String artifactId, String version) {}

    private static List<Dependency> dependencies;
    private static List<Plugin> plugins;
    private static Element parent;
    private static Map<String, String> properties;
    /** artifactId of each module of the reactor, by module folder. */
    private static Map<String, String> modules;

    @BeforeAll
    static void readDocsAndPoms() throws Exception {
        dependencies = new ArrayList<>();
        plugins = new ArrayList<>();
        for (Path page : pages()) {
            Matcher block = XML_BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                Element snippet = parse(page, block.group(1));
                for (Element e : elements(snippet, "dependency")) {
                    dependencies.add(new Dependency(
                            ROOT.relativize(page),
                            text(e, "groupId"),
                            text(e, "artifactId"),
                            text(e, "version"),
                            text(e, "type"),
                            text(e, "scope")));
                }
                for (Element e : elements(snippet, "plugin")) {
                    plugins.add(new Plugin(
                            ROOT.relativize(page), text(e, "groupId"), text(e, "artifactId"), text(e, "version")));
                }
            }
        }
        parent = pom(ROOT.resolve("pom.xml"));
        properties = new HashMap<>();
        properties.put("project.version", text(parent, "version"));
        for (Element property : children(child(parent, "properties"))) {
            properties.put(property.getTagName(), property.getTextContent().strip());
        }
        modules = new HashMap<>();
        for (Element module : children(child(parent, "modules"))) {
            String folder = module.getTextContent().strip();
            modules.put(folder, text(pom(ROOT.resolve(folder).resolve("pom.xml")), "artifactId"));
        }
    }

    @Test
    void shouldGiveEveryDependencyAVersionOrImportTheBom() {
        Set<Path> importingPages = new LinkedHashSet<>();
        dependencies.stream().filter(Dependency::isBomImport).forEach(d -> importingPages.add(d.page()));

        assertThat(dependencies).as("<dependency> snippets in the docs").isNotEmpty();
        // Maven rejects a dependency without a version that nothing manages
        assertThat(dependencies)
                .filteredOn(d -> d.version() == null)
                .allMatch(d -> WEFT.equals(d.groupId()), "is a Weft module, which the BOM manages")
                .allMatch(d -> importingPages.contains(d.page()), "is on a page that imports " + BOM);
    }

    @Test
    void shouldNameOnlyModulesOfTheReactorAtItsVersion() {
        List<Dependency> weft =
                dependencies.stream().filter(d -> WEFT.equals(d.groupId())).toList();

        assertThat(weft).as("Weft dependencies in the docs").isNotEmpty();
        assertThat(weft)
                .allMatch(d -> modules.containsValue(d.artifactId()), "is a module of the reactor " + modules.values())
                .filteredOn(d -> d.version() != null)
                .allMatch(d -> d.version().equals(properties.get("project.version")), "is at the reactor's version");
    }

    @Test
    void shouldShowOtherLibrariesAtTheVersionsWeftBuildsWith() {
        Map<String, String> managed = new HashMap<>();
        for (Element d : elements(child(parent, "dependencyManagement"), "dependency")) {
            managed.put(text(d, "groupId") + ":" + text(d, "artifactId"), resolve(text(d, "version")));
        }

        assertThat(dependencies)
                .filteredOn(d -> !WEFT.equals(d.groupId()) && managed.containsKey(d.groupId() + ":" + d.artifactId()))
                .allMatch(
                        d -> d.version().equals(managed.get(d.groupId() + ":" + d.artifactId())),
                        "has the version of weft-parent's dependencyManagement");
    }

    @Test
    void shouldPinEveryPluginAtTheVersionWeftBuildsWith() {
        Map<String, String> managed = new HashMap<>();
        Element build = child(parent, "build");
        for (Element p : elements(child(build, "pluginManagement"), "plugin")) {
            managed.put(text(p, "groupId") + ":" + text(p, "artifactId"), resolve(text(p, "version")));
        }

        assertThat(plugins)
                .allMatch(p -> p.version() != null, "has a version")
                .filteredOn(p -> managed.containsKey(p.groupId() + ":" + p.artifactId()))
                .allMatch(
                        p -> p.version().equals(managed.get(p.groupId() + ":" + p.artifactId())),
                        "has the version of weft-parent's pluginManagement");
    }

    @Test
    void shouldManageInTheBomEveryModuleTheDocsName() throws Exception {
        Element bom = pom(ROOT.resolve("bom/pom.xml"));
        Set<String> managed = new LinkedHashSet<>();
        for (Element d : elements(child(bom, "dependencyManagement"), "dependency")) {
            assertThat(text(d, "groupId")).isEqualTo(WEFT);
            assertThat(text(d, "version"))
                    .as("the version of " + text(d, "artifactId"))
                    .isEqualTo("${project.version}");
            managed.add(text(d, "artifactId"));
        }
        Set<String> named = new LinkedHashSet<>();
        dependencies.stream()
                .filter(d -> WEFT.equals(d.groupId()) && !d.isBomImport())
                .forEach(d -> named.add(d.artifactId()));

        assertThat(modules).containsEntry("bom", BOM);
        assertThat(text(bom, "version")).as("the BOM's version").isEqualTo(properties.get("project.version"));
        // a BOM that inherits weft-parent would manage JUnit, logback, ... for every project that imports it
        assertThat(child(bom, "parent")).as("the BOM's parent").isNull();
        assertThat(modules.values()).containsAll(managed);
        assertThat(managed).containsAll(named).contains("weft-core", "weft-store", "weft-runner-forkjoin");
    }

    @Test
    void shouldTellInTheReadmeHowToDependOnWeft() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Path page = Path.of("README.md");

        assertThat(readme)
                .as("the install step, while Weft is on no public repository")
                .contains(
                        """
                ```bash
                ./mvnw install -DskipTests
                ```""");
        assertThat(dependencies)
                .filteredOn(d -> d.page().equals(page))
                .anyMatch(Dependency::isBomImport)
                .anyMatch(d -> d.artifactId().equals("weft-core") && d.version() == null)
                .anyMatch(d -> d.artifactId().equals("weft-core") && d.version() != null);
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            pages.addAll(
                    files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        return pages;
    }

    /** Parses a block, a whole pom or a fragment of one, under a root element of its own. */
    private static Element parse(Path page, String block) {
        String body = block.replaceFirst("^<\\?xml[^>]*\\?>", "");
        try {
            return DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(new ByteArrayInputStream(
                            ("<snippet>" + body + "</snippet>").getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError(page + ": an xml block that does not parse: " + e.getMessage(), e);
        }
    }

    private static Element pom(Path path) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(path.toFile())
                .getDocumentElement();
    }

    private static String resolve(String value) {
        Matcher m = PROPERTY.matcher(value);
        return m.replaceAll(r -> Matcher.quoteReplacement(properties.getOrDefault(r.group(1), r.group())));
    }

    private static List<Element> elements(Element root, String tag) {
        NodeList nodes = root.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static List<Element> children(Element element) {
        List<Element> children = new ArrayList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e);
            }
        }
        return children;
    }

    /** The direct child {@code tag} of {@code element}, or null. */
    private static Element child(Element element, String tag) {
        return children(element).stream()
                .filter(e -> e.getTagName().equals(tag))
                .findFirst()
                .orElse(null);
    }

    /** The text of the direct child {@code tag}, or null if there is none. */
    private static String text(Element element, String tag) {
        Element child = child(element, tag);
        return child == null ? null : child.getTextContent().strip();
    }
}
