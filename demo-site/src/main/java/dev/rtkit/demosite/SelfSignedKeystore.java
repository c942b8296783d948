package dev.rtkit.demosite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The demo's TLS certificate: made with the JDK's keytool on first start, reused afterwards. Its subject
 * alternative names cover localhost and 127.0.0.1 (and the --host when it names one machine): without them
 * clients reject the certificate and Jetty answers {@code 400 Invalid SNI}.
 */
final class SelfSignedKeystore {
    /** A demo certificate protects nothing; the password only satisfies the PKCS12 format. */
    static final String PASSWORD = "rtkit-demo";
    static final String ALIAS = "rtkit-demo";

    private SelfSignedKeystore() {
    }

    /** Returns {@code keystore}, creating it when absent or when it lacks a name for {@code host}. */
    static Path ensure(Path keystore, String host) throws IOException, InterruptedException {
        String san = subjectAlternativeNames(host);
        Path sanFile = keystore.resolveSibling(keystore.getFileName() + ".san");
        if (Files.isRegularFile(keystore) && Files.isRegularFile(sanFile)
                && Files.readString(sanFile, StandardCharsets.UTF_8).strip().equals(san)) {
            return keystore;
        }
        Path dir = keystore.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.deleteIfExists(keystore);
        runKeytool(keystore, san);
        Files.writeString(sanFile, san + "\n", StandardCharsets.UTF_8);
        return keystore;
    }

    static String subjectAlternativeNames(String host) {
        Set<String> names = new LinkedHashSet<>(List.of("dns:localhost", "ip:127.0.0.1"));
        if (!isWildcard(host)) {
            names.add((isIpLiteral(host) ? "ip:" : "dns:") + host);
        }
        return String.join(",", names);
    }

    static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static void runKeytool(Path keystore, String san) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "keytool.exe" : "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650", "-dname", "CN=localhost, O=rtkit demo",
                "-ext", "SAN=" + san, "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.isRegularFile(keystore)) {
            throw new IOException("keytool could not create " + keystore + ": " + output.strip());
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }
}
