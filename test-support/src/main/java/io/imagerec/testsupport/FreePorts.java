package io.imagerec.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers a test starts later, in another process. A port from {@code new ServerSocket(0)} is
 * an ephemeral port: between the check and the server's bind, any outgoing connection on the machine (a
 * test sending 10,000 requests in another fork) may be given it as its local port, and the server then
 * fails to start with "Address already in use". These ports come from below the kernel's ephemeral range
 * instead, which outgoing connections never use, from a block of their own per test fork (system property
 * {@code imagerec.test.fork}, failsafe's fork number), and are never handed out twice in one JVM.
 */
public final class FreePorts {

    private static final int BLOCK = 800;
    private static final int FIRST = 10_000;
    private static final Set<Integer> GIVEN = new HashSet<>();
    /**
     * Never handed out: the one port of ./run.sh and the compose stack in this range (PostgreSQL), and the
     * fixed test ports of the Quarkus tests (quarkus.http.test-port and friends, 18080-18099).
     */
    private static final int RUN_SH_POSTGRES = 15432;
    private static int next = -1;

    private FreePorts() {
    }

    /** A port nothing listens on now, outside the ephemeral range, not given before in this JVM. */
    public static synchronized int next() {
        int low = FIRST;
        int high = ephemeralLow();
        int blocks = Math.max(1, (high - low) / BLOCK);
        int block = Math.floorMod(fork(), blocks);
        int start = low + block * BLOCK;
        if (next < 0) {
            next = ThreadLocalRandom.current().nextInt(BLOCK);
        }
        for (int tried = 0; tried < BLOCK; tried++) {
            int port = start + next;
            next = (next + 1) % BLOCK;
            boolean reserved = port == RUN_SH_POSTGRES || (port >= 18_080 && port <= 18_099);
            if (!reserved && !GIVEN.contains(port) && bindable(port)) {
                GIVEN.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + start + "-" + (start + BLOCK - 1));
    }

    private static int fork() {
        String fork = System.getProperty("imagerec.test.fork", "");
        try {
            return Integer.parseInt(fork.trim());
        } catch (NumberFormatException e) {
            return (int) (ProcessHandle.current().pid() % 1000);
        }
    }

    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > FIRST + BLOCK ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket any = new ServerSocket()) {
            any.setReuseAddress(true);
            any.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            return false;
        }
        try (ServerSocket loopback = new ServerSocket()) {
            loopback.setReuseAddress(true);
            loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
