package dev.rtkit.tomcat;

import dev.rtkit.contract.TransportContract;
import dev.rtkit.servlet.RealtimeServlet;
import dev.rtkit.servlet.RtkitListener;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The transport contract on embedded Tomcat 11, wired as a web.xml would: the servlet at /rt/*, the listener. */
class TomcatTransportContractTest extends TransportContract {
    private Tomcat tomcat;

    @BeforeEach
    void start() throws Exception {
        File base = Files.createTempDirectory("rtkit-tomcat").toFile();
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        tomcat.setHostname("127.0.0.1");
        tomcat.getConnector().setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", base.getAbsolutePath());
        // Tomcat's Jakarta WebSocket container, as a WAR deployment gets it from tomcat-websocket.jar.
        context.addServletContainerInitializer(new WsSci(), null);
        Wrapper servlet = Tomcat.addServlet(context, "rtkit", RealtimeServlet.class.getName());
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        context.addServletMappingDecoded("/rt/*", "rtkit");
        context.addApplicationListener(RtkitListener.class.getName());
        tomcat.start();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @Override
    protected URI base() {
        return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
    }
}
