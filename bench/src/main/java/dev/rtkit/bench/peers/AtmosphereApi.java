package dev.rtkit.bench.peers;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The few Atmosphere methods the bench calls, bound once by name (atmosphere-runtime 4 is Java 21 bytecode, the
 * bench compiles for 17). Only subscribing and publishing go through them: Atmosphere's own code writes each message.
 */
final class AtmosphereApi {
    static final String RESOURCE_ATTRIBUTE = "org.atmosphere.cpr.AtmosphereResource";

    private final MethodHandle framework;
    private final MethodHandle factory;
    private final MethodHandle lookup;
    private final MethodHandle broadcast;
    private final MethodHandle config;
    private final MethodHandle configFactory;
    private final MethodHandle setBroadcaster;
    private final MethodHandle suspend;

    private static AtmosphereApi instance;

    private AtmosphereApi() throws ReflectiveOperationException {
        MethodHandles.Lookup l = MethodHandles.publicLookup();
        Class<?> servlet = Class.forName("org.atmosphere.cpr.AtmosphereServlet");
        Class<?> fw = Class.forName("org.atmosphere.cpr.AtmosphereFramework");
        Class<?> bf = Class.forName("org.atmosphere.cpr.BroadcasterFactory");
        Class<?> b = Class.forName("org.atmosphere.cpr.Broadcaster");
        Class<?> r = Class.forName("org.atmosphere.cpr.AtmosphereResource");
        Class<?> cfg = Class.forName("org.atmosphere.cpr.AtmosphereConfig");
        framework = l.findVirtual(servlet, "framework", MethodType.methodType(fw));
        factory = l.findVirtual(fw, "getBroadcasterFactory", MethodType.methodType(bf));
        lookup = l.findVirtual(bf, "lookup", MethodType.methodType(b, Object.class, boolean.class));
        broadcast = l.findVirtual(b, "broadcast", MethodType.methodType(java.util.concurrent.Future.class, Object.class));
        config = l.findVirtual(r, "getAtmosphereConfig", MethodType.methodType(cfg));
        configFactory = l.findVirtual(cfg, "getBroadcasterFactory", MethodType.methodType(bf));
        setBroadcaster = l.findVirtual(r, "setBroadcaster", MethodType.methodType(r, b));
        suspend = l.findVirtual(r, "suspend", MethodType.methodType(r));
    }

    static synchronized AtmosphereApi get() {
        if (instance == null) {
            try {
                instance = new AtmosphereApi();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("atmosphere-runtime API not as expected", e);
            }
        }
        return instance;
    }

    /**
     * Maps {@code ReflectorServletProcessor} over {@link AtmosphereSubscribeServlet} to every path of a started
     * AtmosphereServlet (Atmosphere 4 no longer builds it from the {@code org.atmosphere.servlet} init-param).
     */
    static void addHandler(Object atmosphereServlet, String mapping) throws Throwable {
        Class<?> handler = Class.forName("org.atmosphere.cpr.AtmosphereHandler");
        Object processor = Class.forName("org.atmosphere.handler.ReflectorServletProcessor")
                .getConstructor(jakarta.servlet.Servlet.class).newInstance(new AtmosphereSubscribeServlet());
        Object fw = atmosphereServlet.getClass().getMethod("framework").invoke(atmosphereServlet);
        fw.getClass().getMethod("addAtmosphereHandler", String.class, handler).invoke(fw, mapping, processor);
    }

    /** The broadcaster factory of a started AtmosphereServlet. */
    Object factoryOf(Object atmosphereServlet) throws Throwable {
        return factory.invoke(framework.invoke(atmosphereServlet));
    }

    Object broadcaster(Object factory, String topic) throws Throwable {
        return lookup.invoke(factory, "/" + topic, true);
    }

    void broadcast(Object broadcaster, String message) throws Throwable {
        broadcast.invoke(broadcaster, (Object) message);
    }

    /** Puts the resource in the topic's broadcaster and suspends it (Atmosphere then writes each broadcast). */
    void subscribe(Object resource, String topic) throws Throwable {
        Object b = broadcaster(configFactory.invoke(config.invoke(resource)), topic);
        suspend.invoke(setBroadcaster.invoke(resource, b));
    }
}
