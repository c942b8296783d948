package dev.rtkit.standalone;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's quickstart and standalone-Jetty listings are the files {@link ReadmeAppsOnStandaloneJettyIT} builds
 * and deploys, word for word, so what a newcomer copies is what was tested.
 */
class ReadmeShowsTheTestedFilesTest {
    private static final Path ROOT = Path.of("..");

    @ParameterizedTest
    @ValueSource(strings = {
        "examples/pom.xml",
        "examples/src/main/webapp/WEB-INF/web.xml",
        "examples/src/main/java/com/example/news/NewsListener.java",
        "examples/src/main/java/com/example/news/NewsServlet.java",
        "examples/src/main/webapp/index.html",
        "standalone-it/src/test/resources/root.xml"})
    void readmeQuotesTheFileAsItIs(String file) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        String content = Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8);
        assertTrue(readme.contains("\n" + content + "```\n"), file + " is not quoted in README.md as it is");
    }
}
