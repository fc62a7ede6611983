-- One person, one record: a BSUID (user_id) Meta sent together with a phone number, linked to that phone's identity
-- key, so later facts that carry the BSUID alone reach the same CRM record and Kafka partition. A BSUID is never
-- rewritten as a phone number: only a link Meta itself made (both in one webhook) is kept. user_id_update moves it.
-- The identity key names the phone (phone:+E164): erasure of a person must delete their rows here too.
CREATE TABLE identity_link (
    user_id      VARCHAR(128) PRIMARY KEY,
    identity_key VARCHAR(300) NOT NULL,
    linked_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX identity_link_identity_key ON identity_link (identity_key);
