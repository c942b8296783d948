package dev.rtkit.internal.servlet;

import dev.rtkit.Transport;

import dev.rtkit.spi.Authorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Init-params: absent means the documented default; invalid fails start-up naming the parameter and the value. */
class SettingsTest {

    @Test
    void absentParametersTakeTheDocumentedDefaults() {
        Settings s = Settings.from(Map.of());
        assertEquals(1000, s.hub().historySize());
        assertEquals(300, s.hub().historyMaxAge().toSeconds());
        assertEquals(65_536, s.hub().maxMessageSize());
        assertEquals(25_000, s.longPollTimeout().toMillis());
        assertEquals(15_000, s.heartbeatInterval().toMillis());
        assertEquals(1_000, s.streamProbeInterval().toMillis());
        assertEquals(64, s.maxTopicsPerConnection());
        assertEquals(500, s.maxBatch());
        assertEquals(200, s.limits().maxPublishRate());
        for (Transport t : Transport.values()) {
            assertTrue(s.enabled(t), t.wireName());
        }
    }

    @Test
    void theBoundsPerAddressAndTheConnectionLimitHaveDerivedDefaults() {
        Settings s = Settings.from(Map.of());
        assertEquals(1000, s.hub().maxTopicsPerAddress());
        assertEquals(1000, s.limits().publish().ratePerAddress());
        assertEquals(32, s.limits().publish().inFlightPerAddress());
        assertEquals(10_000, s.limits().publish().bodyTimeout().toMillis());
        assertEquals(1024, s.limits().publish().minBodyRate());
        long fds = Capacity.descriptorLimit();
        int max = s.limits().maxConnections();
        assertTrue(max <= 20_000 && (fds < 0 || max <= fds - Capacity.RESERVED_DESCRIPTORS)
                && max <= Runtime.getRuntime().maxMemory() / Capacity.HEAP_PER_CONNECTION, "derived " + max);
    }

    @Test
    void aConnectionLimitAboveTheDescriptorLimitFailsStartUp() {
        long fds = Capacity.descriptorLimit();
        org.junit.jupiter.api.Assumptions.assumeTrue(fds > 0 && fds < Integer.MAX_VALUE, "no descriptor limit on this platform");
        String tooMany = Long.toString(fds);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.from(Map.of(Settings.MAX_CONNECTIONS, tooMany)));
        assertTrue(e.getMessage().contains("maxConnections='" + tooMany + "'") && e.getMessage().contains("ulimit -n"), e.getMessage());
    }

    @Test
    void streamProbesCanBeLengthenedOrSwitchedOff() {
        assertEquals(5_000, Settings.from(Map.of(Settings.STREAM_PROBE_INTERVAL, "5000")).streamProbeInterval().toMillis());
        assertTrue(Settings.from(Map.of(Settings.STREAM_PROBE_INTERVAL, "0")).streamProbeInterval().isZero());
    }

    @Test
    void transportsCanBeNarrowed() {
        Settings s = Settings.from(Map.of(Settings.TRANSPORTS, " sse , websocket "));
        assertTrue(s.enabled(Transport.SSE));
        assertFalse(s.enabled(Transport.POLL));
    }

    @ParameterizedTest
    @CsvSource({
        "historySize, -1",
        "historySize, many",
        "historyMaxAgeSeconds, 0",
        "longPollTimeoutMillis, 2.5",
        "heartbeatIntervalMillis, ''",
        "maxMessageBytes, 99999999999",
        "maxTopicsPerConnection, -3",
        "maxTopicsPerConnection, -9999999999",
        "streamProbeIntervalMillis, -9999999999",
        "maxBatch, x",
        "streamProbeIntervalMillis, 500",
        "streamProbeIntervalMillis, -1",
        "maxTopicsPerAddress, 0",
        "maxPublishRatePerAddress, fast",
        "maxPublishesInFlightPerAddress, -1",
        "publishBodyTimeoutMillis, 0",
        "minPublishBodyBytesPerSecond, slow",
        "transports, 'sse,carrier-pigeon'",
        "authorizer, no.such.Authorizer",
        "allowedOrigins, not an origin"})
    void anInvalidValueFailsStartUpNamingTheParameterAndTheValue(String name, String value) throws Exception {
        if (name.equals("allowedOrigins")) {
            // Checked when the WebSocket endpoint is registered, at start-up too.
            try (TestServer server = new TestServer().param(name, value)) {
                Exception e = assertThrows(Exception.class, server::start);
                assertTrue(causes(e).contains(name) && causes(e).contains(value), causes(e));
            }
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of(name, value)));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("'" + value + "'"), e.getMessage());
    }

    @Test
    void anUnknownParameterFailsStartUpRatherThanPassingSilently() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of("histroySize", "5")));
        assertTrue(e.getMessage().contains("histroySize"), e.getMessage());
        try (TestServer server = new TestServer().param("histroySize", "5")) {
            assertTrue(causes(assertThrows(Exception.class, server::start)).contains("histroySize"));
        }
    }

    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" / ");
        }
        return sb.toString();
    }
}
