package io.github.wacrm.bridge.outbound;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.InvalidReplayIdException;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The send-event subscription's exception handler ({@code exceptionHandler} of {@code routes/65}). When Salesforce
 * refuses the stored replay id (it no longer keeps that event: the bridge was away longer than the 72-hour
 * retention, or a sandbox was refreshed), camel-salesforce would subscribe with it again and again. Instead the stored
 * position is forgotten and the route made again from its definition, starting at the oldest event Salesforce still
 * keeps (EARLIEST, whatever {@code start-at} says): events between the two are lost to Salesforce's retention, not to
 * the bridge, and those already taken are the same requests again (their event ids are the idempotency keys). It logs
 * at ERROR and counts {@code whatsapp.outbound.send_events.replay_lost}. Anything else is logged, as Camel's default
 * handler does.
 */
@Component("replayIdRecovery")
public class ReplayIdRecovery implements ExceptionHandler {

    static final String ROUTE = "salesforce-send-events";
    private static final Logger LOG = LoggerFactory.getLogger(ReplayIdRecovery.class);

    private final SendEventReplay replay;
    private final ObjectProvider<CamelContext> camel;
    private final Counter lost;
    private final AtomicBoolean recovering = new AtomicBoolean();

    public ReplayIdRecovery(SendEventReplay replay, ObjectProvider<CamelContext> camel, MeterRegistry registry) {
        this.replay = replay;
        this.camel = camel;
        this.lost = Counter.builder("whatsapp.outbound.send_events.replay_lost")
                .description("Times Salesforce no longer kept the stored send-event position: read again from the oldest kept")
                .register(registry);
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (!(exception instanceof InvalidReplayIdException)) {
            // the class only: a message may quote the event (a recipient, parameters)
            LOG.warn("{}: {}", message == null ? "The send-event subscription failed" : message,
                    exception == null ? "?" : exception.getClass().getName());
            LOG.debug("The send-event subscription's failure", exception);
            return;
        }
        if (!recovering.compareAndSet(false, true)) {
            return;
        }
        lost.increment();
        LOG.error("Salesforce no longer keeps the stored position of {} (away longer than its retention?): reading "
                + "again from the oldest event it keeps; events published before that are beyond the bridge's reach",
                replay.topic());
        // not in camel-salesforce's thread, which resubscribes as soon as this returns
        Thread restart = new Thread(this::restart, "send-events-replay-recovery");
        restart.setDaemon(true);
        restart.start();
    }

    private void restart() {
        try {
            ModelCamelContext context = (ModelCamelContext) camel.getObject();
            RouteDefinition definition = context.getRouteDefinition(ROUTE);
            context.getRouteController().stopRoute(ROUTE);
            context.removeRoute(ROUTE);
            replay.startFromEarliest();
            context.addRouteDefinition(definition);
            context.getRouteController().startRoute(ROUTE);
            LOG.info("The send-event subscription starts again from the oldest event Salesforce keeps");
        } catch (Exception failed) {
            LOG.error("The send-event subscription could not be made again: restart the pod (its stored position is "
                    + "forgotten, so it starts from the oldest event kept)", failed);
        } finally {
            recovering.set(false);
        }
    }
}
