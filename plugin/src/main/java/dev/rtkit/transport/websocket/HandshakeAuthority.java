package dev.rtkit.transport.websocket;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Makes the handshake request's {@code host:port} visible to {@link OriginCheckingConfigurator#checkOrigin},
 * which the Jakarta API hands only the {@code Origin} string. Mapped at the WebSocket path ahead of the
 * container's upgrade filter; the container runs the handshake on the thread that passes through here.
 */
final class HandshakeAuthority implements Filter {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Server name and port come from Host on HTTP/1.1 and from :authority on HTTP/2 alike.
        CURRENT.set(OriginPolicy.authority(request.getServerName(), request.getServerPort()));
        try {
            chain.doFilter(request, response);
        } finally {
            CURRENT.remove();
        }
    }

    /** The authority of the handshake on this thread, or null outside one. */
    static String current() {
        return CURRENT.get();
    }
}
