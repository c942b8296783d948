package dev.rtkit.internal.transport;

import dev.rtkit.spi.Caller;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/** The caller of an HTTP request (or WebSocket handshake), as the container authenticated it. */
public final class RequestCaller implements Caller {
    private final HttpServletRequest request;
    /** Asked for several times per request (admission, limits, rates); the container formats it anew each time. */
    private String address;

    public RequestCaller(HttpServletRequest request) {
        this.request = request;
    }

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
        String a = address;
        if (a == null) {
            a = request.getRemoteAddr();
            address = a;
        }
        return a;
    }

    /** The TCP connection: HTTP/1.1 keep-alive and HTTP/2 requests of one connection share it. */
    public String connection() {
        return address() + ":" + request.getRemotePort();
    }
}
