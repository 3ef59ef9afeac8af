package io.imagerec.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder between a service and one of its real neighbours, for injecting network faults:
 * the neighbour keeps running while the service sees it refuse connections, swallow requests, or
 * process requests whose answers never come back (the outcome of the call is unknown to the caller).
 */
public final class FaultProxy implements AutoCloseable {

    public enum Mode {
        /** Bytes flow both ways. */
        PASS,
        /** The port is closed: new connections are refused and open ones are cut. */
        REFUSE,
        /** Connections are accepted and kept, but nothing reaches the neighbour and nothing comes back. */
        BLACKHOLE,
        /** Requests reach the neighbour, which acts on them, but its answers are dropped. */
        DROP_RESPONSES
    }

    private final String name;
    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads;
    private volatile Mode mode = Mode.PASS;
    private volatile ServerSocket listener;
    private volatile boolean closed;

    /**
     * @param listenPort the port to listen on, 0 for any free one
     */
    public FaultProxy(String name, int listenPort, String targetHost, int targetPort) throws IOException {
        this.name = name;
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy-" + name);
            t.setDaemon(true);
            return t;
        });
        this.listener = listen(listenPort);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    public int port() {
        return port;
    }

    public Mode mode() {
        return mode;
    }

    public void pass() throws IOException {
        mode(Mode.PASS);
    }

    public void refuse() throws IOException {
        mode(Mode.REFUSE);
    }

    public void blackhole() throws IOException {
        mode(Mode.BLACKHOLE);
    }

    public void dropResponses() throws IOException {
        mode(Mode.DROP_RESPONSES);
    }

    public synchronized void mode(Mode next) throws IOException {
        Mode previous = mode;
        mode = next;
        if (next == Mode.REFUSE && previous != Mode.REFUSE) {
            listener.close();
            cutAll();
        } else if (next != Mode.REFUSE && previous == Mode.REFUSE) {
            listener = listen(port);
            accept(listener);
        }
    }

    /** Closes every open connection, as a network cut or a restarted peer would. */
    public void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(listener);
        cutAll();
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + name + " :" + port + " -> " + target.getPort() + ", " + mode + "]";
    }

    private ServerSocket listen(int listenPort) throws IOException {
        // A closed listener's port is freed only once its accepting thread has left accept(): retry briefly.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 200);
                return socket;
            } catch (java.net.BindException e) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void accept(ServerSocket server) {
        threads.execute(() -> {
            while (!closed && !server.isClosed()) {
                try {
                    Socket client = server.accept();
                    threads.execute(() -> connect(client));
                } catch (IOException e) {
                    return; // the listener was closed (REFUSE or close())
                }
            }
        });
    }

    private void connect(Socket client) {
        sockets.add(client);
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.connect(target, 2000);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            sockets.remove(client);
            return;
        }
        sockets.add(upstream);
        threads.execute(() -> pump(client, upstream, false));
        pump(upstream, client, true);
    }

    private void pump(Socket from, Socket to, boolean response) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                Mode current = mode;
                if (current == Mode.BLACKHOLE || (response && current == Mode.DROP_RESPONSES)) {
                    continue;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (SocketException e) {
            // cut by the other side or by a mode change
        } catch (IOException e) {
            // the same, reported differently
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // already closed
        }
    }
}
