package dev.rtkit.demosite;

import java.time.Duration;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RateControl;
import org.eclipse.jetty.io.WindowRateControl;

/**
 * Jetty's HTTP/2 rate control (128 suspicious events a second per connection, then GOAWAY) counts the server's own
 * {@code RST_STREAM(REFUSED_STREAM)} answers to a client that opens more streams than
 * {@code SETTINGS_MAX_CONCURRENT_STREAMS}: such a client lost its good streams too, not just the extra ones.
 * Refused-stream resets get a budget of their own, {@value #REFUSALS_PER_SECOND} a second, so the extra streams are
 * refused one by one and the connection survives; everything else (pings, settings, other resets: the rapid-reset
 * defence) keeps Jetty's default budget. A refused stream costs the server no work, so the larger budget is safe.
 */
final class RefusalTolerantRateControl implements RateControl {
    static final int EVENTS_PER_SECOND = 128;
    static final int REFUSALS_PER_SECOND = 4096;

    private final RateControl refusals = new WindowRateControl(REFUSALS_PER_SECOND, Duration.ofSeconds(1));
    private final RateControl others = new WindowRateControl(EVENTS_PER_SECOND, Duration.ofSeconds(1));

    @Override
    public boolean onEvent(Object event) {
        if (event instanceof ResetFrame reset && reset.getError() == ErrorCode.REFUSED_STREAM_ERROR.code) {
            return refusals.onEvent(event);
        }
        return others.onEvent(event);
    }

    /** For {@code HTTP2ServerConnectionFactory.setRateControlFactory}. */
    static final class Factory implements RateControl.Factory {
        @Override
        public RateControl newRateControl(EndPoint endPoint) {
            return new RefusalTolerantRateControl();
        }
    }
}
