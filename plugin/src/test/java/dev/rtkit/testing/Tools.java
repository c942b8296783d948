package dev.rtkit.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** External programs some tests drive. Absent: the test fails on CI (CI=true) and is skipped elsewhere. */
public final class Tools {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path NGHTTP = Path.of("/usr/bin/nghttp");
    public static final Path NGINX = Path.of("/usr/sbin/nginx");

    private Tools() {
    }

    /** The tool, when it is there; otherwise fails on CI and skips the test elsewhere. */
    public static Path require(Path tool, String debianPackage) {
        if (Files.isExecutable(tool)) {
            return tool;
        }
        String message = tool + " is missing: apt-get install -y " + debianPackage;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
        return tool;
    }
}
