package io.github.wacrm.bridge.outbound;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * The checks before anything goes to Meta. A template must be in the registry, synced, APPROVED, in that language,
 * with exactly its parameters; marketing only to people with a recorded opt-in, and never from a number Meta flagged
 * for quality or while the account's business-initiated messaging is restricted; authentication templates never to a
 * BSUID-only user; free text only inside the 24 h customer-service window. A refusal names its reason and is written
 * to the ledger (and so to the API) and put on the facts topic for the CRMs, on the record that asked: never dropped.
 */
@Component("outboundChecks")
public class OutboundChecks {

    private static final ObjectMapper FACT_JSON = new ObjectMapper();

    /** Why a request is refused: a stable code and the reason in words. */
    public record Refusal(String code, String reason) {
    }

    private static final Duration SERVICE_WINDOW = Duration.ofHours(24);

    private final TemplateRegistry registry;
    private final CustomerConsent consent;
    private final JdbcTemplate jdbc;
    private final OutboundProperties properties;
    private final SendLedger ledger;
    private final OutboundMetrics metrics;
    private final BusinessNumberStates numbers;

    public OutboundChecks(TemplateRegistry registry, CustomerConsent consent, JdbcTemplate jdbc,
            OutboundProperties properties, SendLedger ledger, OutboundMetrics metrics, BusinessNumberStates numbers) {
        this.numbers = numbers;
        this.registry = registry;
        this.consent = consent;
        this.jdbc = jdbc;
        this.properties = properties;
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /** The refusal of the request, or null when it may be sent. */
    public Refusal verdict(OutboundRequest request) {
        if (request.template == null) {
            return insideWindow(request) ? null : new Refusal("outside_service_window", "more than 24 hours since the "
                    + "customer last wrote to this number: only a template may be sent");
        }
        Optional<TemplateRegistry.Template> found = registry.find(properties.wabaId(), request.template.name,
                request.template.language);
        if (found.isEmpty()) {
            return new Refusal("template_not_found", "no template " + request.template.name + " in "
                    + request.template.language + " in the registry");
        }
        TemplateRegistry.Template template = found.get();
        if (!"APPROVED".equalsIgnoreCase(template.status())) {
            return new Refusal("template_not_approved", "the template " + template.name() + " (" + template.language()
                    + ") is " + template.status());
        }
        if (template.components() == null) {
            return new Refusal("template_not_synced", "the template " + template.name() + " is known from a webhook "
                    + "but not synced from the Graph API yet");
        }
        String mismatch = TemplateParameters.mismatch(template.components(), template.parameterFormat(),
                request.template.parameters);
        if (mismatch == null) {
            mismatch = TemplateHeaderAndButtons.mismatch(template.components(), template.parameterFormat(),
                    request.template.header, request.template.buttons);
        }
        if (mismatch != null) {
            return new Refusal("template_parameters", mismatch);
        }
        if ("AUTHENTICATION".equalsIgnoreCase(template.category()) && request.toBsuid()) {
            return new Refusal("authentication_to_bsuid", "authentication templates cannot be sent to a BSUID-only "
                    + "user");
        }
        if ("MARKETING".equalsIgnoreCase(template.category())) {
            if (!consent.optedIn(request.identityHash)) {
                return new Refusal("no_marketing_opt_in", "marketing templates go only to customers with a recorded "
                        + "opt-in, and this customer has none (or opted out)");
            }
            if (numbers.flagged(request.phoneNumberId)) {
                return new Refusal("number_quality_flagged", "Meta flagged this business number for quality: no "
                        + "marketing from it until it is unflagged (utility and authentication templates still go)");
            }
            if (numbers.red(request.phoneNumberId)) {
                return new Refusal("number_quality_red", "Meta rates this business number's quality RED: no "
                        + "marketing from it until the rating recovers (utility and authentication templates still go)");
            }
            if (numbers.restricted(properties.wabaId())) {
                return new Refusal("account_restricted", "the business account may not start conversations now "
                        + "(ACCOUNT_RESTRICTION): no marketing until it expires");
            }
        }
        return null;
    }

    /**
     * Route step: the refusal's fact (JSON, with its Kafka key) as the body, for the CRMs to show on the record that
     * asked. The ledger says refused only after it is on its topic ({@link #recordRefusal}): a fact that could not be
     * written leaves the request waiting, read again and refused again.
     */
    public void refuse(Exchange exchange) throws JsonProcessingException {
        OutboundRequest request = exchange.getMessage().getBody(OutboundRequest.class);
        Refusal refusal = exchange.getProperty("outboundRefusal", Refusal.class);
        exchange.setProperty("outboundRefused", request);
        CanonicalEvent fact = OutboundFacts.refused(request, refusal.code(), refusal.reason());
        exchange.getMessage().setHeader(KafkaConstants.KEY, fact.partitionKey);
        exchange.getMessage().setBody(FACT_JSON.writeValueAsString(fact));
    }

    /** Route step, once the refusal's fact is on its topic: the reason into the ledger (and so the API). */
    public void recordRefusal(Exchange exchange) {
        OutboundRequest request = exchange.getProperty("outboundRefused", OutboundRequest.class);
        Refusal refusal = exchange.getProperty("outboundRefusal", Refusal.class);
        ledger.refused(request.id, refusal.code(), refusal.reason());
        metrics.refused(refusal.code());
    }

    private boolean insideWindow(OutboundRequest request) {
        List<Timestamp> last = jdbc.queryForList("SELECT last_inbound_at FROM customer_window WHERE identity_hash = ? "
                + "AND phone_number_id = ?", Timestamp.class, request.identityHash, request.phoneNumberId);
        return !last.isEmpty() && last.get(0).toInstant().isAfter(Instant.now().minus(SERVICE_WINDOW));
    }
}
