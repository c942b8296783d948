package dev.rtkit.transport.http;

import dev.rtkit.transport.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/** The caller of an HTTP request, as the container authenticated it. */
record HttpCaller(HttpServletRequest request) implements Caller {

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
    String connection() {
        return request.getRemoteAddr() + ":" + request.getRemotePort();
    }
}
