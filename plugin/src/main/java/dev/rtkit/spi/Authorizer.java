package dev.rtkit.spi;

/**
 * Decides per topic who may publish and subscribe. Name an implementation in web.xml (init-param
 * {@code authorizer}); it needs a public no-argument constructor and must be thread-safe and quick (it runs on
 * every publish and subscribe). It is asked after the role checks ({@code publishRole}, {@code subscribeRole}).
 */
public interface Authorizer {

    boolean mayPublish(Caller caller, String topic);

    boolean maySubscribe(Caller caller, String topic);
}
