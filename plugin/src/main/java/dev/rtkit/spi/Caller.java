package dev.rtkit.spi;

import java.security.Principal;

/** Who is asking, as the container authenticated them (HTTP request or WebSocket handshake). */
public interface Caller {

    /** The authenticated user, or null. */
    Principal user();

    /** True when the container puts the user in {@code role}. */
    boolean isUserInRole(String role);

    /** The client's IP address. */
    String address();
}
