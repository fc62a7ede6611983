package io.github.wacrm.bridge.operations;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.pipeline.KafkaHoldings;
import io.github.wacrm.bridge.pipeline.PartitionProgress;

/**
 * The erasure command for one person (role {@code erasure}):
 * {@code curl -X POST -H "Authorization: Bearer $ERASURE_TOKEN" -H 'Content-Type: application/json'
 * -d '{"phone":"+16505551234"}' localhost:8081/actuator/erasure} (or {@code {"bsuid":"US.13491208655302741918"}}).
 * The identity travels in the body only: the operator audit records the request line and the answer, neither of
 * which names the person. Answers what was deleted and anonymised ({@link PersonErasure}), what each Kafka topic may
 * still hold until when ({@link KafkaHoldings}), and what the bridge does not erase (the CRMs' own records).
 */
@Component
@Endpoint(id = "erasure")
public class ErasureCommand {

    private static final Logger LOG = LoggerFactory.getLogger(ErasureCommand.class);

    static final List<String> NOT_ERASED = List.of(
            "Salesforce and HubSpot records (Contacts, Leads, Cases, messages, tickets, communications) are the CRM's "
                    + "to erase, with the CRM's own tools",
            "Kafka topics cannot drop one person's records: each topic keeps them until heldUntilAtTheLatest; do not "
                    + "replay dead letters of this person before then",
            "Each replica's in-memory caches (numbers, links, known CRM records) keep the identity until evicted or "
                    + "the replica restarts; no log line holds it unmasked",
            "A HubSpot workflow waiting on an erased request is not called back",
            "A person known only by a WhatsApp username, and a HubSpot contact without a number that a workflow "
                    + "asked to message (kept under its HubSpot id), cannot be named to this command");

    private final PersonErasure erasure;
    private final KafkaHoldings holdings;
    private final PartitionProgress progress;
    private final Clock clock;

    @Autowired
    public ErasureCommand(PersonErasure erasure, KafkaHoldings holdings, PartitionProgress progress) {
        this(erasure, holdings, progress, Clock.systemUTC());
    }

    ErasureCommand(PersonErasure erasure, KafkaHoldings holdings, PartitionProgress progress, Clock clock) {
        this.erasure = erasure;
        this.holdings = holdings;
        this.progress = progress;
        this.clock = clock;
    }

    @WriteOperation
    public Map<String, Object> erase(@Nullable String phone, @Nullable String bsuid) {
        String identityKey;
        try {
            identityKey = erasure.identityKey(phone, bsuid);
        } catch (IllegalArgumentException refused) {
            throw new InvalidEndpointRequestException(refused.getMessage(), refused.getMessage());
        }
        Instant now = clock.instant();
        PersonErasure.Erased erased = erasure.erase(identityKey);
        int deleted = erased.deleted().values().stream().mapToInt(Integer::intValue).sum();
        int anonymised = erased.anonymised().values().stream().mapToInt(Integer::intValue).sum();
        LOG.info("Erasure: one person ({} linked identities): {} rows deleted, {} audit rows anonymised",
                erased.identities(), deleted, anonymised);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("erasedAt", now.toString());
        answer.put("identities", erased.identities());
        answer.put("deleted", erased.deleted());
        answer.put("anonymised", erased.anonymised());
        answer.put("kafka", holdings.asOf(now).stream().map(held -> {
            Map<String, Object> topic = new LinkedHashMap<>();
            topic.put("topic", held.topic());
            topic.put("retention", held.retention());
            topic.put("segment", held.segment());
            topic.put("heldUntilAtTheLatest", held.heldUntilAtTheLatest() == null ? "for ever (retention -1)"
                    : held.heldUntilAtTheLatest().toString());
            topic.put("readFrom", held.fromBroker() ? "broker" : "policy (broker not reachable)");
            return topic;
        }).toList());
        // facts of this person still waiting in the pipeline write some rows again when they are worked
        long lag = progress.partitions().stream().mapToLong(PartitionProgress.Partition::lag).sum();
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("lag", lag);
        pipeline.put("asOf", String.valueOf(progress.lastCheck()));
        pipeline.put("note", lag == 0 ? "nothing was waiting in the pipeline"
                : "records were waiting in the pipeline: facts of this person among them write their rows again; run "
                        + "the erasure again once the lag is 0");
        answer.put("pipeline", pipeline);
        answer.put("notErased", NOT_ERASED);
        return answer;
    }
}
