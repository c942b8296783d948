package dev.rtkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ErrorLogTest {

    @Test
    void captureSeesWhatIsLoggedAtErrorAndNothingElse() {
        try (ErrorLog log = new ErrorLog()) {
            LoggerFactory.getLogger("dev.rtkit.probe").warn("not an error");
            LoggerFactory.getLogger("dev.rtkit.probe").error("probe");
            assertEquals(1, log.errors().size());
        }
    }
}
