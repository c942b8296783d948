package dev.rtkit.demosite;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Command line of the launcher. Ports: 0 picks a free port (tests use it).
 *
 * @param host      interface to bind; default 127.0.0.1 (the demo is not meant for the network)
 * @param httpPort  HTTP/1.1 + h2c; default 8080
 * @param httpsPort TLS with ALPN h2, http/1.1; default 8443
 * @param keystore  PKCS12 file holding the self-signed certificate, made on first start and reused;
 *                  default ~/.rtkit-demo/keystore.p12
 * @param redis     the rtkit init-param {@code log}: a Redis URI so that several launchers share topics, or null for
 *                  the in-memory log (the default)
 */
record Options(String host, int httpPort, int httpsPort, Path keystore, String redis) {
    static final String USAGE = """
            usage: java -jar demo-site.jar [--host H] [--http-port N] [--https-port M] [--keystore FILE] [--redis URI]
              --host H        interface to bind (default 127.0.0.1)
              --http-port N   HTTP/1.1 and h2c port (default 8080; 0 = any free port)
              --https-port M  TLS port, ALPN h2 and http/1.1 (default 8443; 0 = any free port)
              --keystore FILE self-signed certificate store, made on first start and reused
                              (default ~/.rtkit-demo/keystore.p12)
              --redis URI     share topics with other nodes through Redis, e.g. redis://127.0.0.1:6379
                              (default: in memory, this process only)
            """;

    private static final Set<String> KNOWN = Set.of("--host", "--http-port", "--https-port", "--keystore", "--redis");

    static Options defaults() {
        return new Options("127.0.0.1", 8080, 8443,
                Path.of(System.getProperty("user.home"), ".rtkit-demo", "keystore.p12"), null);
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a one-line reason on bad input. */
    static Options parse(List<String> args) {
        Options o = defaults();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (name.equals("--help") || name.equals("-h")) {
                throw new HelpRequested();
            }
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException(name.startsWith("-") ? "unknown option " + name : "unexpected argument " + name);
            }
            String value = valueOf(args, i++, name);
            o = switch (name) {
                case "--host" -> new Options(value, o.httpPort, o.httpsPort, o.keystore, o.redis);
                case "--http-port" -> new Options(o.host, port(name, value), o.httpsPort, o.keystore, o.redis);
                case "--https-port" -> new Options(o.host, o.httpPort, port(name, value), o.keystore, o.redis);
                case "--keystore" -> new Options(o.host, o.httpPort, o.httpsPort, Path.of(value), o.redis);
                case "--redis" -> new Options(o.host, o.httpPort, o.httpsPort, o.keystore, redis(value));
                default -> throw new IllegalArgumentException("unknown option " + name);
            };
        }
        if (o.httpPort != 0 && o.httpPort == o.httpsPort) {
            throw new IllegalArgumentException("--http-port and --https-port must differ, both are " + o.httpPort);
        }
        return o;
    }

    private static String valueOf(List<String> args, int i, String name) {
        if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args.get(i + 1);
    }

    private static String redis(String value) {
        if (!value.matches("(?i)rediss?(-cluster)?://.+")) {
            throw new IllegalArgumentException("--redis must be a redis://, rediss:// or redis-cluster:// URI, not '"
                    + value.replaceAll("//[^@/]*@", "//***@") + "'");
        }
        return value;
    }

    private static int port(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a port number 0-65535, not '" + value + "'");
    }

    /** --help: print the usage and exit 0. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help", null, false, false);
        }
    }
}
