package io.imagerec.results.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AddressGuardTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Names as a DNS server might answer them; literals through the JDK (no lookup for a literal). */
    private static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.216.34"),
            "rebind.example.com", List.of("127.0.0.1"),
            "mixed.example.com", List.of("93.184.216.34", "10.1.2.3"),
            "metadata.example.com", List.of("169.254.169.254"));

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> answer = DNS.get(host);
        if (answer != null) {
            return answer.stream().map(AddressGuardTest::ip).toArray(InetAddress[]::new);
        }
        if (host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return new InetAddress[] {ip(host)};
        }
        throw new UnknownHostException(host);
    }

    @Test
    void internalAddressesAreRecognised() {
        for (String internal : List.of("127.0.0.1", "127.9.9.9", "10.0.0.1", "172.16.5.4", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::",
                "fe80::1", "fc00::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1",
                "64:ff9b::a00:1", "198.18.0.1", "192.0.0.170")) {
            assertTrue(AddressGuard.isInternal(ip(internal)), internal);
        }
        for (String external : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                "::ffff:8.8.8.8")) {
            assertFalse(AddressGuard.isInternal(ip(external)), external);
        }
    }

    @Test
    void namesAreJudgedByWhatTheyResolveTo() throws Exception {
        AddressGuard guard = new AddressGuard(List.of(), AddressGuardTest::resolve);
        assertEquals(ip("93.184.216.34"), guard.target("hooks.example.com"));
        assertTrue(assertThrows(AddressGuard.Refused.class, () -> guard.target("rebind.example.com")).getMessage()
                .contains("127.0.0.1"));
        assertThrows(AddressGuard.Refused.class, () -> guard.target("mixed.example.com"), "one internal answer is enough");
        assertThrows(AddressGuard.Refused.class, () -> guard.target("metadata.example.com"));
        assertThrows(AddressGuard.Refused.class, () -> guard.target("[::1]"));
        assertTrue(assertThrows(AddressGuard.Refused.class, () -> guard.target("nowhere.example.com")).getMessage()
                .contains("does not resolve"));
    }

    @Test
    void anAllowListedNetworkLetsItsAddressesThroughAndNoOthers() throws Exception {
        AddressGuard guard = new AddressGuard(List.of("127.0.0.1/32", " 10.20.0.0/16"), AddressGuardTest::resolve);
        assertEquals(ip("127.0.0.1"), guard.target("rebind.example.com"));
        assertEquals(ip("10.20.3.4"), guard.target("10.20.3.4"));
        assertThrows(AddressGuard.Refused.class, () -> guard.target("127.0.0.2"));
        assertThrows(AddressGuard.Refused.class, () -> guard.target("10.21.0.1"));
        assertThrows(AddressGuard.Refused.class, () -> guard.target("::1"));
        assertThrows(IllegalArgumentException.class, () -> new AddressGuard(List.of("10.0.0.0/33"), h -> null));
    }

    @Test
    void onlyPlainHttpAndHttpsUrlsAreAccepted() throws Exception {
        assertEquals("hooks.example.com", AddressGuard.checkUrl("https://hooks.example.com/in?x=1").getHost());
        for (String bad : List.of("ftp://hooks.example.com/", "file:///etc/passwd", "https://user:pw@hooks.example.com/",
                "https:///nohost", "https://hooks.example.com/#frag", "not a url", "", "javascript:alert(1)")) {
            assertThrows(AddressGuard.Refused.class, () -> AddressGuard.checkUrl(bad), bad);
        }
    }
}
