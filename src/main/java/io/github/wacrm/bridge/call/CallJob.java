package io.github.wacrm.bridge.call;

/**
 * One call event on its way to one CRM (exchange property {@value #PROPERTY}): the call, its customer, the state
 * merged with what the ledger had, the CRM's activity if there is one, and the person it goes on.
 */
public final class CallJob {

    public static final String PROPERTY = "callJob";

    private final String crm;
    private final String callId;
    private final String customerKey;
    private final String phoneNumberId;
    private final String receivedAt;
    private final CallActivity activity;
    private String recordId;
    private final boolean creationStarted;
    private String personId;

    CallJob(String crm, String callId, String customerKey, String phoneNumberId, String receivedAt,
            CallActivity activity, String recordId, boolean creationStarted) {
        this.crm = crm;
        this.callId = callId;
        this.customerKey = customerKey;
        this.phoneNumberId = phoneNumberId;
        this.receivedAt = receivedAt;
        this.activity = activity;
        this.recordId = recordId;
        this.creationStarted = creationStarted;
    }

    /** An earlier try started creating the activity and never recorded its id: look for it before creating one. */
    public boolean mayExist() {
        return recordId == null && creationStarted;
    }

    /** The activity is to be created: the person it goes on is needed first. */
    public boolean creates() {
        return recordId == null;
    }

    public String crm() {
        return crm;
    }

    public String callId() {
        return callId;
    }

    /** The customer's key in the CRMs (the WhatsApp id the person records are keyed by). */
    public String customerKey() {
        return customerKey;
    }

    public String phoneNumberId() {
        return phoneNumberId;
    }

    public String receivedAt() {
        return receivedAt;
    }

    public CallActivity activity() {
        return activity;
    }

    public String recordId() {
        return recordId;
    }

    public void recordId(String recordId) {
        this.recordId = recordId;
    }

    public String personId() {
        return personId;
    }

    public void personId(String personId) {
        this.personId = personId;
    }
}
