-- One person, one record across a change of number. A system message of type user_changed_number links the new
-- number's identity key to the identity key the person's CRM record is keyed by (its root: the first number, or a
-- BSUID), so later facts from the new number reach the same Contact, Case and Kafka partition. Every number ever
-- linked to a root is its history (the CRM's previous numbers). Names phones: erasure must delete these rows too.
CREATE TABLE phone_link (
    phone_key    VARCHAR(300) PRIMARY KEY,
    identity_key VARCHAR(300) NOT NULL,
    changed_at   TIMESTAMPTZ  NOT NULL,
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX phone_link_identity_key ON phone_link (identity_key);
