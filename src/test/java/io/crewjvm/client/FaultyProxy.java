package io.crewjvm.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of the service that can lose an answer: armed with a marker, the next request whose
 * bytes contain it reaches the service, but the connection is cut as the service answers, so the client never
 * sees the answer of a request that was applied. It also keeps every byte clients sent (HTTP/1.1 in clear).
 */
final class FaultyProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicReference<String> dropMarker = new AtomicReference<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final StringBuffer traffic = new StringBuffer();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    FaultyProxy(URI service) throws IOException {
        this.target = new InetSocketAddress(service.getHost(), service.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "proxy-accept");
        accepting.setDaemon(true);
        accepting.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    /** The answer to the next request containing {@code marker} (e.g. {@code "/release HTTP/1.1"}) is lost. */
    void loseNextAnswerTo(String marker) {
        dropMarker.set(marker);
    }

    int answersLost() {
        return dropped.get();
    }

    /** Everything clients sent so far. */
    String traffic() {
        return traffic.toString();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                AtomicBoolean losing = new AtomicBoolean();
                pump("proxy-up", () -> upstream(client, server, losing), client, server);
                pump("proxy-down", () -> downstream(server, client, losing), client, server);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void upstream(Socket client, Socket server, AtomicBoolean losing) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = server.getOutputStream();
        byte[] buffer = new byte[16384];
        for (int n; (n = in.read(buffer)) > 0; ) {
            String chunk = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
            traffic.append(chunk);
            String marker = dropMarker.get();
            if (marker != null && chunk.contains(marker) && dropMarker.compareAndSet(marker, null)) {
                losing.set(true);
            }
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    private void downstream(Socket server, Socket client, AtomicBoolean losing) throws IOException {
        InputStream in = server.getInputStream();
        OutputStream out = client.getOutputStream();
        byte[] buffer = new byte[16384];
        for (int n; (n = in.read(buffer)) > 0; ) {
            if (losing.get()) {
                // The service has answered, so it applied the request: the client learns nothing of it.
                dropped.incrementAndGet();
                return;
            }
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    private interface Pump {
        void run() throws IOException;
    }

    /** Runs one direction of a connection; when either side goes away, both are closed. */
    private void pump(String name, Pump pump, Socket client, Socket server) {
        Thread thread = new Thread(() -> {
            try {
                pump.run();
            } catch (IOException connectionClosed) {
                // the other direction ends too, below
            } finally {
                closeQuietly(client);
                closeQuietly(server);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(FaultyProxy::closeQuietly);
    }
}
