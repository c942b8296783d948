package dev.rtkit.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.logging.JettyLoggerFactory;
import org.eclipse.jetty.logging.StdErrAppender;
import org.slf4j.LoggerFactory;

/** Records what Jetty's logging (and so rtkit's, through SLF4J) writes at ERROR, while passing everything on. */
public final class ErrorLog implements AutoCloseable {
    private static final Pattern ERROR = Pattern.compile("^\\S+ \\S+:ERROR\\s*:");
    private final StdErrAppender appender;
    private final PrintStream original;
    private final PrintStream target;
    private final List<String> errors = new ArrayList<>();

    public ErrorLog() {
        JettyLoggerFactory factory = (JettyLoggerFactory) LoggerFactory.getILoggerFactory();
        appender = (StdErrAppender) factory.getJettyLogger("dev.rtkit").getAppender();
        original = appender.getStream();
        // A null stream means "System.err at the time of writing".
        target = original != null ? original : System.err;
        appender.setStream(new PrintStream(new LineTee(), true, StandardCharsets.UTF_8));
    }

    /** ERROR lines logged since this capture began. */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        appender.setStream(original);
    }

    private final class LineTee extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            target.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (ERROR.matcher(text).find()) {
                    synchronized (ErrorLog.this) {
                        errors.add(text);
                    }
                }
            } else {
                line.write(b);
            }
        }

        @Override
        public void flush() {
            target.flush();
        }
    }
}
