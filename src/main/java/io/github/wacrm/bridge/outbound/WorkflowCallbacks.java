package io.github.wacrm.bridge.outbound;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The callbacks of HubSpot workflow actions ({@code workflow_callback}): a request that came from a workflow
 * completes its action once the outcome is known ({@code routes/67-hubspot-action-callbacks}): delivered or read →
 * {@code SUCCESS}; failed, refused or unknown → {@code FAIL_CONTINUE} with the reason; sent and nothing more after
 * {@code sent-grace} → {@code SUCCESS} "sent" (Meta's asynchronous failures mostly come within seconds). The output
 * fields {@code whatsapp_status}, {@code whatsapp_reason} and {@code whatsapp_message_id} are what the workflow
 * branches on. Up to 100 go in one call of the batch callback API, claimed first (5 minutes, with a token) so two
 * replicas never complete one twice; a batch HubSpot refuses is completed one by one; a failed call frees its claim.
 */
@Component("workflowCallbacks")
public class WorkflowCallbacks {

    /** A callback whose request has its outcome. */
    public record Due(String callbackId, String requestId, String state, String reasonCode, String reason,
            String wamid, UUID claim) {

        boolean succeeded() {
            return state.equals("sent") || state.equals("delivered") || state.equals("read");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final Duration sentGrace;

    public WorkflowCallbacks(JdbcTemplate jdbc,
            @Value("${whatsapp.outbound.hubspot-actions.sent-grace:PT2M}") Duration sentGrace) {
        this.jdbc = jdbc;
        this.sentGrace = sentGrace;
    }

    /** The request waits for this callback (an action executed twice has one callback id: kept once). */
    public void attach(String requestId, String callbackId) {
        jdbc.update("INSERT INTO workflow_callback (request_id, callback_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                UUID.fromString(requestId), callbackId);
    }

    /**
     * Route step of the callback timer: claims (for 5 minutes, longer than a batch and its one-by-one completions
     * take even when the request budget makes them wait) the open callbacks whose request has an outcome, at most
     * 100, none another replica holds (SKIP LOCKED), and answers them.
     */
    public List<Due> due() {
        UUID claim = UUID.randomUUID();
        return jdbc.query("WITH open AS (SELECT c.callback_id FROM workflow_callback c JOIN outbound_request r ON r.id = "
                + "c.request_id WHERE c.completed_at IS NULL AND (c.claimed_until IS NULL OR c.claimed_until < now()) "
                + "AND (r.state IN ('delivered', 'read', 'failed', 'refused', 'unknown') OR (r.state = 'sent' AND "
                + "r.updated_at < ?)) ORDER BY c.created_at LIMIT 100 FOR UPDATE OF c SKIP LOCKED), "
                + "claimed AS (UPDATE workflow_callback c SET claimed_until = now() + interval '5 minutes', claim_token = ? "
                + "FROM open "
                + "WHERE c.callback_id = open.callback_id RETURNING c.callback_id, c.request_id) "
                + "SELECT claimed.callback_id, r.id, r.state, r.reason_code, r.reason, r.wamid FROM claimed JOIN "
                + "outbound_request r ON r.id = claimed.request_id", (rs, n) -> new Due(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), claim),
                Timestamp.from(Instant.now().minus(sentGrace)), claim);
    }

    /**
     * Route step: the claimed callbacks (the body) as one completion of HubSpot's batch callback API; the list stays
     * in the property {@code workflowCallbacksDue}.
     */
    public String batch(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Due> due = exchange.getMessage().getBody(List.class);
        exchange.setProperty("workflowCallbacksDue", due);
        exchange.setProperty("callbackPath", "complete");
        ObjectNode body = JSON.createObjectNode();
        var inputs = body.putArray("inputs");
        for (Due one : due) {
            inputs.addObject().put("callbackId", one.callbackId()).set("outputFields", outputs(one));
        }
        return body.toString();
    }

    /**
     * Route step after the batch call: 2xx → every one completed; 400 (HubSpot refuses the whole batch when one
     * callback no longer waits) → each is completed alone ({@code callbacksOneByOne}); anything else → they stay
     * open, their claim freed: tried again on the next tick.
     */
    public void batchAnswered(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Due> due = exchange.getProperty("workflowCallbacksDue", List.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        exchange.setProperty("callbacksOneByOne", status == 400);
        if (status >= 200 && status < 300) {
            due.forEach(one -> close(one, one.succeeded() ? "success" : "fail"));
        } else if (status != 400 && !due.isEmpty()) {
            release(due.get(0).claim(), null);
        }
    }

    /** Route step: the completion's body for HubSpot's callback API, its callback id as a property. */
    public String completion(Exchange exchange) {
        Due due = exchange.getMessage().getBody(Due.class);
        exchange.setProperty("workflowCallback", due);
        exchange.setProperty("callbackPath", due.callbackId() + "/complete");
        ObjectNode body = JSON.createObjectNode();
        body.set("outputFields", outputs(due));
        return body.toString();
    }

    private static ObjectNode outputs(Due due) {
        ObjectNode out = JSON.createObjectNode()
                .put("hs_execution_state", due.succeeded() ? "SUCCESS" : "FAIL_CONTINUE")
                .put("whatsapp_status", due.state())
                .put("whatsapp_request_id", due.requestId());
        if (due.reasonCode() != null && !due.succeeded()) {
            out.put("whatsapp_reason", due.reasonCode() + ": " + due.reason());
        }
        if (due.wamid() != null) {
            out.put("whatsapp_message_id", due.wamid());
        }
        return out;
    }

    /**
     * Route step after HubSpot answered: 2xx → completed; 400 or 404 (the callback expired or was completed
     * before) → no longer open, with that noted; anything else → open, tried again on the next tick.
     */
    public void answered(Exchange exchange) {
        Due due = exchange.getProperty("workflowCallback", Due.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 200 && status < 300) {
            close(due, due.succeeded() ? "success" : "fail");
        } else if (status == 400 || status == 404) {
            close(due, "expired");
        } else {
            release(due.claim(), due.callbackId());
        }
    }

    /** A call that failed (HubSpot away): the claim's callbacks (or that one) are free for the next tick. */
    private void release(UUID claim, String callbackId) {
        jdbc.update("UPDATE workflow_callback SET claimed_until = NULL WHERE claim_token = ? AND completed_at IS NULL "
                + "AND (?::text IS NULL OR callback_id = ?)", claim, callbackId, callbackId);
    }

    private void close(Due due, String outcome) {
        // only a callback this claim still holds: another replica's outcome stays
        jdbc.update("UPDATE workflow_callback SET completed_at = now(), outcome = ? WHERE callback_id = ? AND "
                + "completed_at IS NULL AND claim_token = ?", outcome, due.callbackId(), due.claim());
    }
}
