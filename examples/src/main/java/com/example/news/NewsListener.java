package com.example.news;

import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.Rtkit;
import dev.rtkit.Subscription;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.List;

/**
 * The application's own listener: subscribes on the server to topic "news" (keeping the last headlines for
 * {@link NewsServlet}) and publishes one headline when the application starts. It runs before rtkit's own listener
 * (web.xml listeners come before web-fragment ones), which {@code Rtkit.from} allows.
 */
public final class NewsListener implements ServletContextListener {
    static final String TOPIC = "news";

    private Subscription subscription;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Headlines headlines = new Headlines();
        context.setAttribute(Headlines.ATTRIBUTE, headlines);

        Rtkit rtkit = Rtkit.from(context);
        // since = null: from now on. The listener is called on a delivery thread; it must not block.
        subscription = rtkit.subscribe(List.of(TOPIC), null, new Rtkit.Listener() {
            @Override
            public void onMessage(Message message) {
                headlines.add(message.id() + " " + message.data());
            }

            @Override
            public void onGap(Gap gap) {
                headlines.add("(missed some: " + gap.reason().wireName() + ")");
            }
        });
        rtkit.publish(TOPIC, Payload.json("{\"headline\":\"the news application started\"}"), "started");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (subscription != null) {
            subscription.close();
        }
    }
}
