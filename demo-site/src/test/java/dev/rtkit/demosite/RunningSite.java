package dev.rtkit.demosite;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Tests against the real launcher on free ports, one per test class, its certificate in a temporary directory. */
abstract class RunningSite {
    @TempDir
    static Path dir;
    static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = DemoSite.start("--http-port", "0", "--https-port", "0", "--keystore", dir.resolve("keystore.p12").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
            site = null;
        }
    }
}
