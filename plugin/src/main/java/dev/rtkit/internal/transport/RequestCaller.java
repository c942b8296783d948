package dev.rtkit.internal.transport;

import dev.rtkit.spi.Caller;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/** The caller of an HTTP request (or WebSocket handshake), as the container authenticated it. */
public record RequestCaller(HttpServletRequest request) implements Caller {

    @Override
    public Principal user() {
        return request.getUserPrincipal();
    }

    @Override
    public boolean isUserInRole(String role) {
        return request.isUserInRole(role);
    }

    @Override
    public String address() {
        return request.getRemoteAddr();
    }

    /** The TCP connection: HTTP/1.1 keep-alive and HTTP/2 requests of one connection share it. */
    public String connection() {
        return request.getRemoteAddr() + ":" + request.getRemotePort();
    }
}
