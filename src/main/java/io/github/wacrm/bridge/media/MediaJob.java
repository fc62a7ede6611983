package io.github.wacrm.bridge.media;

import java.nio.file.Path;

/**
 * One message's file on its way to one CRM (exchange property {@value #PROPERTY}): what the webhook said of it, the CRM
 * record it belongs to, the short-lived URL Meta gave, the bytes fetched to a temporary file, and the outcome to
 * record on the message record: {@code stored}, or a failure with its reason. A job that ends without an outcome
 * (the record already has one) records nothing.
 */
public final class MediaJob {

    public static final String PROPERTY = "mediaJob";
    public static final String STORED = "stored";

    private final String wamid;
    private final String mediaId;
    private final String type;
    private final String mimeType;
    private String expectedSha256;
    private final String filename;
    private final String receivedAt;
    private final String occurredAt;
    private String customerKey;
    private String recordId;
    private String contactId;
    private String noteId;
    private boolean alreadyRecorded;
    private String url;
    private long size = -1;
    private int lookups;
    private Path file;
    private String outcome;
    private String fileId;
    private String crm = "the CRM";
    private long crmMaxBytes = Long.MAX_VALUE;

    MediaJob(String wamid, String mediaId, String type, String mimeType, String expectedSha256, String filename,
            String receivedAt, String occurredAt) {
        this.occurredAt = occurredAt;
        this.wamid = wamid;
        this.mediaId = mediaId;
        this.type = type;
        this.mimeType = mimeType;
        this.expectedSha256 = expectedSha256;
        this.filename = filename;
        this.receivedAt = receivedAt;
    }

    // ---- what the routes ask (routes/70-media-transfer, 71-media-fetch, 72-salesforce-files) -----------------------

    /** The file is still to be fetched: the record is found, has no outcome yet, and the CRM has no file of it. */
    public boolean pending() {
        return recordId != null && !alreadyRecorded && outcome == null && file == null;
    }

    /** A URL is needed: pending, and none is held (the first, or the last one expired). */
    public boolean needsUrl() {
        return pending() && url == null;
    }

    /** The bytes are in the temporary file, checked, and not yet in the CRM. */
    public boolean fetched() {
        return file != null && outcome == null;
    }

    /** An outcome is to be written on the message record. */
    public boolean recordable() {
        return recordId != null && !alreadyRecorded && outcome != null;
    }

    // ---- state ------------------------------------------------------------------------------------------------

    public String wamid() {
        return wamid;
    }

    public String mediaId() {
        return mediaId;
    }

    public String type() {
        return type;
    }

    public String mimeType() {
        return mimeType;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    void expectedSha256(String sha256) {
        this.expectedSha256 = sha256;
    }

    public String filename() {
        return filename;
    }

    public String receivedAt() {
        return receivedAt;
    }

    public String recordId() {
        return recordId;
    }

    /** When the customer sent the message (the note's time in HubSpot). */
    public String occurredAt() {
        return occurredAt != null ? occurredAt : receivedAt;
    }

    /** The customer's key in the CRMs (the WhatsApp id the person records are keyed by), or null. */
    public String customerKey() {
        return customerKey;
    }

    void customerKey(String key) {
        this.customerKey = key;
    }

    /** The CRM record of the customer, where the CRM attaches files to the person (HubSpot's contact). */
    public String contactId() {
        return contactId;
    }

    public void contactId(String contactId) {
        this.contactId = contactId;
    }

    public String noteId() {
        return noteId;
    }

    public void noteId(String noteId) {
        this.noteId = noteId;
    }

    /** The message record is not in the CRM: waited for, then dead-lettered as message_record_missing. */
    public void recordNotFound(java.time.Duration wait, String what) {
        io.github.wacrm.bridge.crm.RecordWait.notFound(receivedAt, wait, what, "message_record_missing");
    }

    public void located(String recordId, boolean alreadyRecorded) {
        this.recordId = recordId;
        this.alreadyRecorded = alreadyRecorded;
    }

    /** The largest file this job's CRM takes: a larger one is recorded as too large before it is fetched. */
    public void crmLimit(String crm, long maxBytes) {
        this.crm = crm;
        this.crmMaxBytes = maxBytes;
    }

    String crm() {
        return crm;
    }

    long crmMaxBytes() {
        return crmMaxBytes;
    }

    public String url() {
        return url;
    }

    void url(String url, long size) {
        this.url = url;
        this.size = size;
        this.lookups++;
    }

    void urlExpired() {
        this.url = null;
    }

    int lookups() {
        return lookups;
    }

    public long size() {
        return size;
    }

    public Path file() {
        return file;
    }

    void fetchedTo(Path file, long size) {
        this.file = file;
        this.size = size;
    }

    void discardFile() {
        this.file = null;
    }

    public String outcome() {
        return outcome;
    }

    public String fileId() {
        return fileId;
    }

    /** The CRM has the file (now, or from an earlier try the ledger remembers). */
    public void stored(String fileId) {
        this.fileId = fileId;
        this.outcome = STORED;
    }

    /** The file cannot be stored, for this reason (recorded on the message record, never retried). */
    public void failed(String reason) {
        this.outcome = "failed: " + reason;
    }
}
