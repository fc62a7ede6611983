-- When the event behind each value the bridge wrote to a CRM happened, per record and field: a value is written only
-- when its event is not older than what the CRM already holds from the bridge, so a "stop" at t2 processed before a
-- "resume" at t1 leaves the contact opted out, whatever order the facts arrive in. Records with mutable state only
-- (people, templates, phone numbers); keyed by the sink's record key (type and external id).
CREATE TABLE crm_field_clock (
    crm        VARCHAR(32)  NOT NULL,
    record_key VARCHAR(300) NOT NULL,
    field      VARCHAR(64)  NOT NULL,
    event_at   TIMESTAMPTZ  NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (crm, record_key, field)
);

CREATE INDEX crm_field_clock_updated_at ON crm_field_clock (updated_at);
