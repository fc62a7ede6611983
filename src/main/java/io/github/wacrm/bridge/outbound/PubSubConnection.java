package io.github.wacrm.bridge.outbound;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.component.salesforce.PubSubApiConsumer;
import org.apache.camel.component.salesforce.SalesforceEndpoint;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.LifecycleStrategySupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How the Pub/Sub consumer connects, set when the route's consumer is made, before it starts. TLS, as Salesforce's
 * Pub/Sub API requires, unless {@code whatsapp.outbound.salesforce-events.plaintext} is set for the local emulator
 * (camel-salesforce has that switch on its consumer only, not as an endpoint option). And camel-salesforce refuses
 * consumers while its component logs in lazily: the bridge keeps lazy login for the component's own start (the webhook
 * intake comes up while Salesforce is away), then turns it off for the consumer, which logs in when it starts. Its
 * route is supervised ({@code camel.routecontroller}): while Salesforce is away it is started again with backoff,
 * and the rest of the bridge runs.
 */
@Component
public class PubSubConnection extends LifecycleStrategySupport implements CamelContextConfiguration {

    private final boolean plaintext;

    public PubSubConnection(@Value("${whatsapp.outbound.salesforce-events.plaintext:false}") boolean plaintext) {
        this.plaintext = plaintext;
    }

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (service instanceof PubSubApiConsumer consumer) {
            ((SalesforceEndpoint) consumer.getEndpoint()).getComponent().getLoginConfig().setLazyLogin(false);
            if (plaintext) {
                consumer.setUsePlainTextConnection(true);
            }
        }
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        if (!context.getLifecycleStrategies().contains(this)) {
            context.addLifecycleStrategy(this);
        }
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
        // nothing
    }
}
