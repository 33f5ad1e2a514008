package io.github.customerauth.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 requests written byte for byte, for what java.net.http refuses to send (e.g. "%ZZ" in a path). */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}; returns the answer. */
    public static String exchange(int port, String head, byte[] body) {
        return exchange(port, "localhost:" + port, head, body);
    }

    /** As {@link #exchange(int, String, byte[])}, addressed to {@code host} (one name for several nodes). */
    public static String exchange(int port, String host, String head, byte[] body) {
        return exchange(port, host, head, body.length, body);
    }

    /**
     * Declares a body of {@code declaredLength} bytes, sends only {@code body} and waits for the answer: whether
     * the server refuses a body from its declared length, before it comes (30 s at most).
     */
    public static String exchangeDeclaring(int port, String head, long declaredLength, byte[] body) {
        return exchange(port, "localhost:" + port, head, declaredLength, body);
    }

    private static String exchange(int port, String host, String head, long declaredLength, byte[] body) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nHost: " + host + "\r\nContent-Length: " + declaredLength
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status code of an answer from {@link #exchange}. */
    public static int status(String answer) {
        return Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
    }
}
