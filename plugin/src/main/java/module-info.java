/**
 * rtkit: real-time messaging for Jakarta Servlet containers. Applications see {@code dev.rtkit} (the facade),
 * integrators {@code dev.rtkit.spi} (authorisation, the topic log), web.xml {@code dev.rtkit.servlet}; everything
 * under {@code dev.rtkit.internal} is not exported, so the compiler refuses code that reaches into it.
 */
module dev.rtkit {
    requires transitive jakarta.servlet;
    requires jakarta.websocket;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    // Optional at run time: without Micrometer rtkit records nothing (dev.rtkit.internal.metrics.MetricsBinding).
    requires static micrometer.core;
    // The descriptor limit, from which the default connection limit is derived.
    requires jdk.management;

    exports dev.rtkit;
    exports dev.rtkit.spi;
    exports dev.rtkit.servlet;

    uses dev.rtkit.spi.TopicLogFactory;
}
