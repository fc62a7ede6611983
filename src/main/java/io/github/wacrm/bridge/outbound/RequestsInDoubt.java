package io.github.wacrm.bridge.outbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * The requests whose call's answer never came (the replica crashed, the connection broke after the call left), made
 * known to the CRMs: one that got no status within the bound ends {@code unknown} on the record that asked
 * ({@code routes/64-outbound-reconcile}); one a status webhook settled after all gets the outbound record the sender
 * never wrote (template, who asked), under its wamid, so the statuses land on it ({@code routes/62-outbound-facts}).
 */
@Component("requestsInDoubt")
public class RequestsInDoubt {

    private static final Logger LOG = LoggerFactory.getLogger(RequestsInDoubt.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final SendLedger ledger;
    private final TemplateRegistry registry;
    private final OutboundProperties properties;

    public RequestsInDoubt(SendLedger ledger, TemplateRegistry registry, OutboundProperties properties) {
        this.ledger = ledger;
        this.registry = registry;
        this.properties = properties;
    }

    /** Route step of the reconcile timer: the unknown facts not yet on the facts topic. */
    public List<OutboundFacts.Publication> unknownFacts() {
        List<OutboundFacts.Publication> facts = new ArrayList<>();
        for (SendLedger.Unreported row : ledger.unreportedUnknown()) {
            OutboundRequest request = read(row.request());
            request.id = row.id();
            facts.add(publication(request, OutboundFacts.unknown(request, "The call to Meta may have reached it, but no "
                    + "answer and no status webhook came within " + properties.inDoubtAfter() + "; it is never sent again")));
        }
        return facts;
    }

    /**
     * The outbound fact of a request a status webhook moved out of {@code sending} or {@code unknown} (the sender
     * never wrote it); null for every other move. A status that overtook a live sender's answer gives the same fact
     * twice: the CRMs upsert it under its wamid, one record still. The ledger owes it ({@code late_fact_due}) until
     * {@code routes/62} has published it; what a crash left owed, {@link #owedFacts} publishes.
     */
    public OutboundFacts.Publication settledLate(SendLedger.Moved moved, String wamid) {
        if (!moved.answerLost() || wamid == null) {
            return null;
        }
        return late(moved.request(), wamid);
    }

    /** Route step of the reconcile timer: the late outbound facts a crash left owed. */
    public List<OutboundFacts.Publication> owedFacts() {
        List<OutboundFacts.Publication> facts = new ArrayList<>();
        for (SendLedger.Owed owed : ledger.owedLateFacts()) {
            facts.add(late(owed.request(), owed.wamid()));
        }
        return facts;
    }

    private OutboundFacts.Publication late(String json, String wamid) {
        OutboundRequest request = read(json);
        String text = request.text;
        if (request.template != null) {
            text = registry.find(properties.wabaId(), request.template.name, request.template.language)
                    .filter(t -> t.components() != null)
                    .map(t -> TemplateParameters.render(t.components(), t.parameterFormat(), request.template.parameters))
                    .orElse(null);
        }
        LOG.info("Outbound request {} settled by a status webhook after its answer was lost", request.id);
        return publication(request, OutboundFacts.sent(request, wamid, text));
    }

    private static OutboundFacts.Publication publication(OutboundRequest request, CanonicalEvent fact) {
        try {
            return new OutboundFacts.Publication(request.id, fact.partitionKey, JSON.writeValueAsString(fact));
        } catch (IOException unwritable) {
            throw new UncheckedIOException(unwritable);
        }
    }

    private static OutboundRequest read(String json) {
        try {
            return JSON.readValue(json, OutboundRequest.class);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
