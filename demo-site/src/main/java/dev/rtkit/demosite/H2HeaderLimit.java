package dev.rtkit.demosite;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Oversized request headers over HTTP/2 answer 431, as over HTTP/1.1, instead of closing the connection. Jetty's
 * HPACK decoder treats a header list above {@code requestHeaderSize} as a connection error (GOAWAY: every stream of
 * the client dies); so the HTTP/2 factories get a copy of the configuration whose decoder accepts
 * {@value #DECODER_HEADROOM} times more, and this customizer refuses the request alone, above the real limit, with
 * 431 (rendered as JSON under {@code /rt} by {@link JsonErrorHandler}). Sizes count as HPACK does: name, value
 * and 32 bytes per field.
 */
final class H2HeaderLimit implements HttpConfiguration.Customizer {
    static final int DECODER_HEADROOM = 4;

    private final int maxBytes;

    private H2HeaderLimit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The configuration for the HTTP/2 factories beside HTTP/1.1's {@code http1}. */
    static HttpConfiguration configFor(HttpConfiguration http1) {
        HttpConfiguration h2 = new HttpConfiguration(http1);
        h2.setRequestHeaderSize(http1.getRequestHeaderSize() * DECODER_HEADROOM);
        h2.addCustomizer(new H2HeaderLimit(http1.getRequestHeaderSize()));
        return h2;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        long size = 0;
        for (HttpField field : request.getHeaders()) {
            size += field.getName().length() + (field.getValue() == null ? 0 : field.getValue().length()) + 32;
        }
        if (size > maxBytes) {
            throw new HttpException.RuntimeException(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                    "request headers larger than " + maxBytes + " bytes");
        }
        return request;
    }
}
