package dev.rtkit.bench.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of this module in a JVM of its own, on this JVM's class path. */
final class Jvm {
    private Jvm() {
    }

    static Process start(String mainClass, List<String> jvmOptions, List<String> args, Path stderrLog) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
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
