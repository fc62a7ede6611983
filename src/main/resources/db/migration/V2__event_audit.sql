-- One row per fact that passed the idempotent consumer: what was processed, when, for whom (hashed), never the
-- message content or a phone number.
CREATE TABLE event_audit (
    event_id        UUID         PRIMARY KEY,
    dedup_key       VARCHAR(512) NOT NULL,
    kind            VARCHAR(32)  NOT NULL,
    field           VARCHAR(64),
    waba_id         VARCHAR(64),
    phone_number_id VARCHAR(64),
    identity_hash   VARCHAR(64),
    message_id      VARCHAR(255),
    occurred_at     TIMESTAMPTZ,
    processed_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX event_audit_kind_processed ON event_audit (kind, processed_at);
CREATE INDEX event_audit_message_id ON event_audit (message_id);
