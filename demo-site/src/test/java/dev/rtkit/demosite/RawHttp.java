package dev.rtkit.demosite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP/1.1 over a plain socket from a chosen 127.0.0.x source address: what an attacker's script does. */
final class RawHttp {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

    private RawHttp() {
    }

    static Socket connect(String source, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(timeoutMillis);
        return s;
    }

    static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    static void send(Socket s, byte[] bytes) throws IOException {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
    }

    /** One response (head and a Content-Length body); null when the server closed the connection first. */
    static Response read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int headEnd = -1;
        long need = -1;
        try {
            while (need < 0 || got.size() < need) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                got.write(b);
                if (headEnd < 0 && got.size() >= 4 && got.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    String head = got.toString(StandardCharsets.ISO_8859_1);
                    headEnd = got.size();
                    Matcher m = CONTENT_LENGTH.matcher(head);
                    need = headEnd + (m.find() ? Long.parseLong(m.group(1)) : 0);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer in time (a hang); so far: " + got.toString(StandardCharsets.ISO_8859_1), e);
        } catch (IOException e) {
            // Reset by the server: closed without an answer.
            return null;
        }
        String text = got.toString(StandardCharsets.UTF_8);
        return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(0, headEnd), text.substring(headEnd));
    }

    /** True when the server closed the connection within the socket's timeout. */
    static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    record Response(int status, String head, String body) {
        String header(String name) {
            Matcher m = Pattern.compile("(?i)\r\n" + Pattern.quote(name) + ": *([^\r]*)").matcher(head);
            return m.find() ? m.group(1) : null;
        }
    }
}
