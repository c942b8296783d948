package dev.rtkit.internal.transport.websocket;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Origin}s may open a WebSocket or publish over HTTP (and get CORS answers): the page's own (the origin's host:port equals the request's),
 * any on the allow-list, any at all when the list holds {@code *}. A request without {@code Origin} comes
 * from a non-browser client, which no origin check can stop anyway, so it is allowed.
 */
public final class OriginPolicy {
    static final String ANY = "*";

    private final boolean any;
    private final Set<String> allowed = new HashSet<>();

    /** @throws IllegalArgumentException naming an entry that is not an origin such as {@code https://example.com} */
    public OriginPolicy(List<String> allowList) {
        boolean star = false;
        for (String entry : allowList) {
            if (entry.equals(ANY)) {
                star = true;
                continue;
            }
            String origin = normalize(entry);
            if (origin == null) {
                throw new IllegalArgumentException("allowed origin '" + entry + "' is not an origin such as https://example.com:8443");
            }
            allowed.add(origin);
        }
        this.any = star;
    }

    public boolean allowsAny() {
        return any;
    }

    /**
     * @param origin           the {@code Origin} header, or null
     * @param requestAuthority the request's {@code host:port} as the client addressed it, or null when unknown
     */
    public boolean allows(String origin, String requestAuthority) {
        if (origin == null || any) {
            return true;
        }
        String normalized = normalize(origin);
        if (normalized == null) {
            // "null" (sandboxed frames, file: pages) and garbage: never same-origin.
            return false;
        }
        if (allowed.contains(normalized)) {
            return true;
        }
        return requestAuthority != null && normalized.endsWith("://" + requestAuthority.toLowerCase(Locale.ROOT));
    }

    /** {@code scheme://host:port} in lower case with the scheme's default port made explicit, or null. */
    static String normalize(String origin) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (java.net.URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
        if (port < 0) {
            return null;
        }
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }

    /** {@code host:port} as {@link #allows} expects it. */
    public static String authority(String host, int port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return h.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
