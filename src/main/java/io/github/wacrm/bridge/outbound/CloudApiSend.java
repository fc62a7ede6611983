package io.github.wacrm.bridge.outbound;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * One request's send to the Cloud API ({@code POST /{version}/{phone-number-id}/messages}), behind the
 * {@code outbound-send} route's loop: the body (a template with its components, or a text; {@code to} for phone
 * users, {@code recipient} for BSUID-only ones; {@code biz_opaque_callback_data} carrying the request id), the ledger
 * step before each call, and Meta's answer read once ({@link MetaSendErrors}). A call that may have reached Meta is
 * never made again: a transport failure after the connection was made leaves the request in {@code sending}, for its
 * status webhooks (or the bound) to settle.
 */
@Component("cloudApiSend")
public class CloudApiSend {

    private static final Logger LOG = LoggerFactory.getLogger(CloudApiSend.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String PROPERTY = "outboundSend";
    /** Prefix of {@code biz_opaque_callback_data}: statuses of messages the bridge did not send carry none. */
    public static final String CALLBACK_PREFIX = "wacrm:";
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final SendLedger ledger;
    private final TemplateRegistry registry;
    private final CustomerConsent consent;
    private final OutboundThrottle throttle;
    private final OutboundProperties properties;
    private final OutboundMetrics metrics;

    public CloudApiSend(SendLedger ledger, TemplateRegistry registry, CustomerConsent consent, OutboundThrottle throttle,
            OutboundProperties properties, OutboundMetrics metrics) {
        this.ledger = ledger;
        this.registry = registry;
        this.consent = consent;
        this.throttle = throttle;
        this.properties = properties;
        this.metrics = metrics;
    }

    /** The state of one request's send, kept on the exchange while the route's loop runs. */
    public static final class Attempt {
        private final OutboundRequest request;
        private final String body;
        private int attempts;
        private long pauseMillis;
        private boolean settled;
        private String text;
        private String sentFact;

        Attempt(OutboundRequest request, String body) {
            this.request = request;
            this.body = body;
        }

        public boolean awaitingAnswer() {
            return !settled;
        }

        public long pauseMillis() {
            return pauseMillis;
        }

        public String phoneNumberId() {
            return request.phoneNumberId;
        }

        public String body() {
            return body;
        }

        void settle() {
            settled = true;
        }

        /** Once Meta accepted the message: the outbound fact for the CRMs (facts topic), else null. */
        public String sentFact() {
            return sentFact;
        }

        /** The facts topic's key of the outbound fact: the recipient's identity. */
        public String factKey() {
            return request.identityKey;
        }
    }

    /** Route step: the body of the send, from the request (the exchange's body) and the registry. */
    public void prepare(Exchange exchange) {
        OutboundRequest request = exchange.getMessage().getBody(OutboundRequest.class);
        ObjectNode body = JSON.createObjectNode().put("messaging_product", "whatsapp");
        TemplateRegistry.Template template = null;
        if (request.toBsuid()) {
            body.put("recipient", request.to);
        } else {
            body.put("recipient_type", "individual").put("to", request.recipientForMeta());
        }
        body.put("biz_opaque_callback_data", CALLBACK_PREFIX + request.id);
        if (request.template != null) {
            template = registry.find(properties.wabaId(), request.template.name, request.template.language)
                    .orElseThrow(() -> new IllegalStateException("template gone"));
            ObjectNode t = body.put("type", "template").putObject("template").put("name", template.name());
            t.putObject("language").put("code", template.language());
            var components = TemplateParameters.components(template.components(), template.parameterFormat(),
                    request.template.parameters);
            TemplateHeaderAndButtons.addTo(components, template.components(), template.parameterFormat(),
                    request.template.header, request.template.buttons);
            t.set("components", components);
        } else {
            body.put("type", "text").putObject("text").put("body", request.text);
        }
        Attempt attempt = new Attempt(request, body.toString());
        // the text the customer reads, for the outbound record: the same registry row the body was built from
        attempt.text = template == null ? request.text
                : TemplateParameters.render(template.components(), template.parameterFormat(), request.template.parameters);
        exchange.setProperty(PROPERTY, attempt);
    }

    /** Route step before each call: reserves the throttle's next slot; answers how long to wait for it. */
    public long slot(Exchange exchange) {
        Attempt attempt = exchange.getProperty(PROPERTY, Attempt.class);
        return throttle.reserve(attempt.request.phoneNumberId, attempt.request.identityHash);
    }

    /** Route step right before the call: takes the request in the ledger; false when it is not to be sent. */
    public boolean start(Exchange exchange) {
        Attempt attempt = exchange.getProperty(PROPERTY, Attempt.class);
        if (!ledger.startSending(attempt.request.id)) {
            // taken already (a redelivered request, another replica): never a second call
            attempt.settle();
            metrics.outcome("already_taken");
            return false;
        }
        attempt.attempts++;
        return true;
    }

    /** Route step after a call Meta answered: the ledger's next step, and whether the loop sends again. */
    public void answered(Exchange exchange) throws IOException {
        Attempt attempt = exchange.getProperty(PROPERTY, Attempt.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = exchange.getMessage().getBody(String.class);
        JsonNode answer = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        String wamid = answer.path("messages").path(0).path("id").asText(null);
        if (status >= 200 && status < 300 && wamid != null) {
            ledger.sent(attempt.request.id, wamid);
            metrics.outcome("sent");
            metrics.templateMessage(attempt.request.template == null ? null : attempt.request.template.name, "sent");
            attempt.sentFact = JSON.writeValueAsString(OutboundFacts.sent(attempt.request, wamid, attempt.text));
            attempt.settle();
            return;
        }
        JsonNode error = answer.path("error");
        Integer code = error.path("code").isNumber() ? error.path("code").asInt() : null;
        String reason = reason(code, error, status);
        switch (MetaSendErrors.action(code, status)) {
            case RETRY -> retryLater(attempt, code == null ? "http_" + status : code.toString(), reason);
            case STOP_SENDING -> {
                ledger.notSent(attempt.request.id, String.valueOf(code), reason);
                metrics.tokenRefused();
                throw new CloudApiUnavailableException("the WhatsApp access token was refused (190): no message is "
                        + "sent from " + attempt.request.phoneNumberId + " until it is replaced");
            }
            case FAIL -> {
                ledger.failed(attempt.request.id, code == null ? "http_" + status : code.toString(), reason);
                metrics.outcome("failed");
                marks(attempt.request, code);
                attempt.settle();
            }
        }
    }

    /** Route step when the call failed without an answer: not sent when no connection was made, else in doubt. */
    public void noAnswer(Exchange exchange) {
        Attempt attempt = exchange.getProperty(PROPERTY, Attempt.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (neverConnected(failure)) {
            retryLater(attempt, "unreachable", "the Cloud API could not be reached: " + failure.getClass().getSimpleName());
            return;
        }
        // the request may have reached Meta: stays in sending, settled by its status webhooks or ends unknown
        LOG.warn("A send to the Cloud API got no answer ({}); request {} waits for its status webhooks and is never "
                + "sent again", failure == null ? "?" : failure.getClass().getSimpleName(), attempt.request.id);
        metrics.outcome("in_doubt");
        attempt.settle();
    }

    private void retryLater(Attempt attempt, String code, String reason) {
        if (attempt.attempts >= properties.sendAttempts()) {
            ledger.notSent(attempt.request.id, code, reason);
            ledger.failed(attempt.request.id, code, "not sent after " + attempt.attempts + " tries: " + reason);
            metrics.outcome("failed");
            attempt.settle();
            return;
        }
        ledger.notSent(attempt.request.id, code, reason);
        metrics.outcome("retried");
        attempt.pauseMillis = Math.min(MAX_BACKOFF_MILLIS, 500L << Math.min(attempt.attempts - 1, 10));
    }

    private void marks(OutboundRequest request, Integer code) {
        if (MetaSendErrors.marksTemplate(code) && request.template != null) {
            registry.mark(properties.wabaId(), request.template.name, request.template.language,
                    code == 132015 ? "PAUSED" : "DISABLED");
        }
        if (MetaSendErrors.recordsOptOut(code)) {
            consent.record(request.identityHash, CustomerConsent.OPTED_OUT, "error_131050", java.time.Instant.now());
        }
    }

    private static String reason(Integer code, JsonNode error, int status) {
        String meaning = MetaSendErrors.meaning(code);
        String details = error.path("error_data").path("details").asText(error.path("message").asText(""));
        String said = (code == null ? "HTTP " + status : code + "") + (details.isEmpty() ? "" : ": " + details);
        return meaning == null ? said : meaning + " (" + said + ")";
    }

    private static boolean neverConnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }
}
