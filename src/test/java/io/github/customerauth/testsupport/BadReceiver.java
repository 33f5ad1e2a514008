package io.github.customerauth.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver that misbehaves at the socket level: one that accepts connections and never answers, or one
 * that drips a valid answer a byte at a time, slower than any read timeout would notice.
 */
public final class BadReceiver implements AutoCloseable {

    public enum Kind { SILENT, DRIPPING }

    private final Kind kind;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private ServerSocket server;

    public BadReceiver(Kind kind) {
        this.kind = kind;
    }

    public BadReceiver start() {
        try {
            server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "bad-receiver-" + kind);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                connections.add(socket);
                if (kind == Kind.DRIPPING) {
                    Thread drip = new Thread(() -> drip(socket), "drip");
                    drip.setDaemon(true);
                    drip.start();
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Reads the request head, then answers "200 OK" at one byte every 400 ms (about 20 s for the whole answer). */
    private static void drip(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            in.read(new byte[8192]);
            OutputStream out = socket.getOutputStream();
            for (byte b : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Pause.millis(400);
            }
        } catch (IOException aborted) {
            // the dispatcher gave up on us, as it should
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : connections) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
