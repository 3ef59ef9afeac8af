package io.imagerec.results.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may be delivered: never to loopback, private, link-local, carrier-grade NAT,
 * multicast, unspecified or cloud-metadata addresses (AWS's 169.254.169.254 and fd00:ec2::254 among
 * them), judged on the addresses a name resolves to, so a name that resolves to 127.0.0.1 is refused
 * too, unless an allow-listed network holds the address. The sender connects to the very address
 * judged here, so a name that resolves elsewhere a moment later changes nothing.
 */
public final class AddressGuard {

    /** A target refused, with a reason safe to show to the subscription's owner. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Resolves a host name; the JDK's resolver outside unit tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Network> allowed;
    private final Resolver resolver;

    public AddressGuard(List<String> allowedNetworks, Resolver resolver) {
        this.allowed = new ArrayList<>();
        for (String cidr : allowedNetworks) {
            allowed.add(Network.parse(cidr.strip()));
        }
        this.resolver = resolver;
    }

    /** Checks a subscription's URL: http or https, a host, no user info, no fragment. */
    public static URI checkUrl(String url) throws Refused {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw new Refused("url must be an http or https URL of at most 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new Refused("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("url must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new Refused("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("url must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("url must not have a fragment");
        }
        return uri;
    }

    /** The address to connect to for a host: its first resolved address, when every one is allowed. */
    public InetAddress target(String host) throws Refused {
        InetAddress[] addresses;
        try {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new Refused("the host " + host + " does not resolve");
        }
        if (addresses.length == 0) {
            throw new Refused("the host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (isInternal(a) && allowed.stream().noneMatch(n -> n.contains(a))) {
                throw new Refused("the host " + host + " resolves to " + a.getHostAddress()
                        + ", a loopback, private, link-local or metadata address");
            }
        }
        return addresses[0];
    }

    /** Whether an address is one a webhook must not reach without an allow-list entry. */
    static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network"
                    || first == 100 && second >= 64 && second <= 127 // carrier-grade NAT 100.64.0.0/10
                    || first == 192 && second == 0 && (b[2] & 0xff) == 0 // IETF protocol assignments
                    || first == 198 && (second == 18 || second == 19) // benchmarking
                    || first >= 240; // reserved and broadcast
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7, AWS's metadata fd00:ec2::254 among them
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isInternal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x02) {
                return true; // 6to4 2002::/16 can wrap any IPv4 address
            }
            if (first == 0x00 && b[1] == 0 && b[2] == 0x00) {
                return true; // other embedded-IPv4 forms (::a.b.c.d, 64:ff9b::/96 handled below)
            }
            return first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        }
        return true;
    }

    /** An address range written as CIDR. */
    record Network(byte[] prefix, int bits) {

        static Network parse(String cidr) {
            String[] parts = cidr.split("/", 2);
            try {
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
                return new Network(address, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("webhooks.allowed-private-networks: not a CIDR: " + cidr, e);
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (prefix[full] & mask);
        }
    }
}
