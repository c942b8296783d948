package dev.rtkit.internal.transport.http;

import dev.rtkit.RtkitException;
import dev.rtkit.internal.transport.websocket.OriginPolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;

/**
 * Cross-origin HTTP under one policy with the WebSocket handshake ({@code allowedOrigins}, same-origin by
 * default). A publish from a foreign page is refused (CSRF: a {@code text/plain} POST needs no preflight and
 * carries the visitor's cookies); a request without {@code Origin} is a non-browser client's and passes. Allowed
 * foreign origins get CORS answers on every transport: preflights, and the origin itself (never {@code *}, which
 * browsers refuse with credentials) with credentials allowed.
 */
public final class CrossOrigin {
    static final String ALLOW_HEADERS = "Content-Type, Last-Event-ID";
    static final String EXPOSE_HEADERS = "Allow, WWW-Authenticate";
    /** How long a browser may cache a preflight. UNIT: seconds. */
    static final int PREFLIGHT_MAX_AGE = 600;

    private final OriginPolicy policy;

    /** @throws IllegalArgumentException naming an entry that is not an origin */
    public CrossOrigin(List<String> allowedOrigins) {
        this.policy = new OriginPolicy(allowedOrigins);
    }

    /**
     * Throws {@link RtkitException} ({@code FORBIDDEN}) unless the request may change state: no {@code Origin}
     * (not a browser) or an allowed one. A browser that says {@code Sec-Fetch-Site: cross-site} or
     * {@code same-site} must also name an allowed origin.
     */
    public void checkWrite(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        String site = req.getHeader("Sec-Fetch-Site");
        boolean foreignSite = site != null
                && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"));
        if (origin == null ? !foreignSite : policy.allows(origin, authority(req))) {
            return;
        }
        throw new RtkitException(RtkitException.Kind.FORBIDDEN, "cross-origin request refused: origin "
                + (origin == null ? "(hidden, Sec-Fetch-Site: " + site + ")" : origin)
                + " may not publish here; the server allows its own origin and those in allowedOrigins");
    }

    /** The CORS answer headers, when the request comes from an allowed foreign origin. */
    public void addHeaders(HttpServletRequest req, HttpServletResponse resp) {
        String origin = req.getHeader("Origin");
        if (origin == null) {
            return;
        }
        resp.addHeader("Vary", "Origin");
        if (policy.allows(origin, authority(req))) {
            resp.setHeader("Access-Control-Allow-Origin", origin);
            resp.setHeader("Access-Control-Allow-Credentials", "true");
            resp.setHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        }
    }

    /** {@code OPTIONS}: 204 with what may be asked (after {@link #addHeaders}); a foreign origin gets 403. */
    public void preflight(HttpServletRequest req, HttpServletResponse resp) {
        String origin = req.getHeader("Origin");
        if (origin != null && !policy.allows(origin, authority(req))) {
            throw new RtkitException(RtkitException.Kind.FORBIDDEN, "cross-origin request refused: origin " + origin
                    + " is not allowed here; the server allows its own origin and those in allowedOrigins");
        }
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
        resp.setHeader("Allow", "GET, POST, OPTIONS");
        if (origin != null) {
            resp.setHeader("Access-Control-Allow-Methods", "GET, POST");
            resp.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
            resp.setHeader("Access-Control-Max-Age", String.valueOf(PREFLIGHT_MAX_AGE));
        }
    }

    /** The request's {@code host:port} as the client addressed it: behind a proxy, as forwarded when trusted. */
    private static String authority(HttpServletRequest req) {
        return OriginPolicy.authority(req.getServerName(), req.getServerPort()).toLowerCase(Locale.ROOT);
    }
}
