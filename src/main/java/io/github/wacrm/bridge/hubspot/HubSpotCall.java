package io.github.wacrm.bridge.hubspot;

import java.util.List;
import java.util.Map;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.hubspot.HubSpotBatch.Association;
import io.github.wacrm.bridge.hubspot.HubSpotBatch.Kind;

/**
 * One HubSpot batch call and what became of it: sent again after a 429 TEN_SECONDLY_ROLLING (after the wait HubSpot
 * asks for) or a 5xx / timeout (with backoff), until HubSpot answers it. Read by the call route's loop.
 */
public final class HubSpotCall {

    private final Kind kind;
    private final String objectType;
    private final List<CrmRecord> records;
    private final List<String> readIds;
    private final List<Association> associations;
    private boolean awaitingAnswer = true;
    private long pauseMillis;
    private int throttledWaits;
    private int failedAttempts;
    private int status;
    private byte[] answer;
    /** How often these inputs were sent again after HubSpot refused them in a 207. */
    private int round;
    /** For an update: the HubSpot id of each record. */
    private Map<CrmRecord, String> updateIds = Map.of();

    private HubSpotCall(Kind kind, String objectType, List<CrmRecord> records, List<String> readIds,
            List<Association> associations) {
        this.kind = kind;
        this.objectType = objectType;
        this.records = records;
        this.readIds = readIds;
        this.associations = associations;
    }

    static HubSpotCall upsert(String objectType, List<CrmRecord> records) {
        return new HubSpotCall(Kind.UPSERT, objectType, records, List.of(), List.of());
    }

    /** Sets the create-only values of records HubSpot just created (by id). */
    static HubSpotCall update(String objectType, List<CrmRecord> records) {
        return new HubSpotCall(Kind.UPDATE, objectType, records, List.of(), List.of());
    }

    static HubSpotCall read(String objectType, List<String> ids) {
        return new HubSpotCall(Kind.READ, objectType, List.of(), ids, List.of());
    }

    static HubSpotCall associate(List<Association> associations) {
        return new HubSpotCall(Kind.ASSOCIATE, associations.get(0).fromType(), List.of(), List.of(),
                List.copyOf(associations));
    }

    /** The same call for fewer inputs (a refused call split in halves, or the inputs of a 207 to send again). */
    HubSpotCall with(List<CrmRecord> someRecords, List<Association> someAssociations) {
        HubSpotCall call = new HubSpotCall(kind, objectType, List.copyOf(someRecords), List.of(),
                List.copyOf(someAssociations));
        call.round = round;
        call.updateIds = updateIds;
        return call;
    }

    HubSpotCall nextRound() {
        round++;
        return this;
    }

    int round() {
        return round;
    }

    HubSpotCall withUpdateIds(Map<CrmRecord, String> ids) {
        updateIds = Map.copyOf(ids);
        return this;
    }

    Map<CrmRecord, String> updateIds() {
        return updateIds;
    }

    public Kind kind() {
        return kind;
    }

    public String objectType() {
        return objectType;
    }

    public List<CrmRecord> records() {
        return records;
    }

    public List<String> readIds() {
        return readIds;
    }

    public List<Association> associations() {
        return associations;
    }

    public int size() {
        return kind == Kind.READ ? readIds.size() : kind == Kind.ASSOCIATE ? associations.size() : records.size();
    }

    /** The metric tag of this call: {@code contacts batch/upsert}, {@code associations communications→contacts}. */
    public String endpoint() {
        return switch (kind) {
            case UPSERT -> objectType + " batch/upsert";
            case UPDATE -> objectType + " batch/update";
            case READ -> objectType + " batch/read";
            case ASSOCIATE -> "associations " + objectType + "->" + associations.get(0).toType();
        };
    }

    /** Whether the call route must (still) send this call. */
    public boolean awaitingAnswer() {
        return awaitingAnswer;
    }

    /** How long the call route waits before sending it again (0 the first time). */
    public long pauseMillis() {
        return pauseMillis;
    }

    void answered(int httpStatus, byte[] body) {
        awaitingAnswer = false;
        pauseMillis = 0;
        status = httpStatus;
        answer = body;
    }

    /** 429 TEN_SECONDLY_ROLLING: send again after {@code waitMillis}. Answers how often that happened to this call. */
    int throttled(long waitMillis) {
        awaitingAnswer = true;
        pauseMillis = waitMillis;
        return ++throttledWaits;
    }

    /** 5xx or timeout: answers the attempt number, for the backoff. */
    int failed(long backoffMillis) {
        awaitingAnswer = true;
        pauseMillis = backoffMillis;
        return ++failedAttempts;
    }

    int throttledWaits() {
        return throttledWaits;
    }

    int failedAttempts() {
        return failedAttempts;
    }

    public int status() {
        return status;
    }

    public byte[] answer() {
        return answer;
    }
}
