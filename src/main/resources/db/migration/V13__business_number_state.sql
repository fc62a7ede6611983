-- What Meta says about the business's numbers and account, for the reverse routes' checks: no marketing from a number
-- Meta flagged for quality, nor while the account may not start conversations (ACCOUNT_RESTRICTION of
-- RESTRICTED_BIZ_INITIATED_MESSAGING). Quality webhooks name a number by its display number only; the phone-number id
-- is linked from the metadata of any message or status to or from it.
CREATE TABLE business_number_state (
    display_e164    VARCHAR(32) PRIMARY KEY,
    phone_number_id VARCHAR(64),
    quality_event   VARCHAR(40),
    messaging_limit VARCHAR(40),
    event_at        TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX business_number_state_phone_number_id ON business_number_state (phone_number_id);

CREATE TABLE business_account_state (
    waba_id          VARCHAR(64) PRIMARY KEY,
    restricted_until TIMESTAMPTZ,
    event_at         TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
