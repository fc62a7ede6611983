-- What a CRM sink last wrote of each person, so a batch writes only what changed (issue 14): the hash of the
-- person record's values (its last inbound time apart), that time, and the open conversation record (Salesforce
-- Case) the sink found or opened, with when it last asked the CRM. No phone number, no content: the person key is
-- the CRM's external id, already stored by crm_field_clock.
CREATE TABLE crm_person_state (
    crm             varchar(32)  NOT NULL,
    person_key      varchar(300) NOT NULL,
    values_hash     varchar(64),
    last_inbound_at timestamptz,
    case_key        varchar(255),
    case_checked_at timestamptz,
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (crm, person_key)
);
CREATE INDEX crm_person_state_updated ON crm_person_state (updated_at);
