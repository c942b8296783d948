package dev.rtkit.internal.transport.websocket;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import dev.rtkit.spi.Caller;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.RequestCaller;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.Principal;

/**
 * Makes the handshake request's {@code host:port} visible to {@link OriginCheckingConfigurator#checkOrigin},
 * which the Jakarta API hands only the {@code Origin} string, and the caller (user, roles, address) to the
 * connection it creates. Mapped at the WebSocket path ahead of the container's upgrade filter; the container
 * runs the handshake on the thread that passes through here.
 */
final class HandshakeAuthority implements Filter {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Caller> CALLER = new ThreadLocal<>();

    private final Guard guard;

    HandshakeAuthority(Guard guard) {
        this.guard = guard;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Server name and port come from Host on HTTP/1.1 and from :authority on HTTP/2 alike.
        CURRENT.set(OriginPolicy.authority(request.getServerName(), request.getServerPort()));
        CALLER.set(guard.snapshot(new RequestCaller((HttpServletRequest) request)));
        try {
            chain.doFilter(request, response);
        } finally {
            CURRENT.remove();
            CALLER.remove();
        }
    }

    /** The caller of the handshake on this thread; an anonymous one outside a handshake. */
    static Caller caller() {
        Caller c = CALLER.get();
        return c != null ? c : ANONYMOUS;
    }

    private static final Caller ANONYMOUS = new Caller() {
        @Override
        public Principal user() {
            return null;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public String address() {
            return "unknown";
        }
    };


    /** The authority of the handshake on this thread, or null outside one. */
    static String current() {
        return CURRENT.get();
    }
}
