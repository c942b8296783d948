package dev.rtkit.bench.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts a main class of this module in a JVM of its own, on this JVM's class path. */
final class Jvm {
    private Jvm() {
    }

    static Process start(String mainClass, List<String> jvmOptions, List<String> args, Path stderrLog) throws IOException {
        return start(current(), mainClass, jvmOptions, args, stderrLog);
    }

    /** This JVM's java command. */
    static String current() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    /**
     * A java command of release 21 or later: this one if it is, else {@code -Dbench.java21=…}, else the newest
     * JDK under /usr/lib/jvm. Fails, saying so, when there is none.
     */
    static String java21() throws IOException {
        if (Runtime.version().feature() >= 21) {
            return current();
        }
        String set = System.getProperty("bench.java21");
        if (set != null && !set.isBlank()) {
            return set;
        }
        File[] jdks = new File("/usr/lib/jvm").listFiles();
        String best = null;
        int bestFeature = 0;
        for (File jdk : jdks == null ? new File[0] : jdks) {
            File bin = new File(jdk, "bin/java");
            File release = new File(jdk, "release");
            if (!bin.canExecute() || !release.isFile()) {
                continue;
            }
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)")
                    .matcher(Files.readString(release.toPath()));
            if (m.find() && Integer.parseInt(m.group(1)) >= 21 && Integer.parseInt(m.group(1)) > bestFeature) {
                bestFeature = Integer.parseInt(m.group(1));
                best = bin.getPath();
            }
        }
        if (best == null) {
            throw new IOException("atmosphere-runtime 4.0.0 is compiled for Java 21 (class file 65) and no Java 21+ "
                    + "was found (this is " + Runtime.version() + "; set -Dbench.java21=/path/to/java)");
        }
        return best;
    }

    /** The {@code java.version} of a java command, for the report. */
    static String version(String command) {
        if (command.equals(current())) {
            return System.getProperty("java.version");
        }
        try {
            Process p = new ProcessBuilder(command, "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("java\\.version = (\\S+)").matcher(out);
            return m.find() ? m.group(1) : command;
        } catch (IOException e) {
            return command;
        }
    }

    static Process start(String java, String mainClass, List<String> jvmOptions, List<String> args, Path stderrLog)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        return pb.start();
    }

    static String classPathSeparator() {
        return File.pathSeparator;
    }
}
