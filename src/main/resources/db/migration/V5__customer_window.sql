-- The customer service window: when each customer last wrote to each business number. Free-form replies are allowed
-- for 24 hours after it; the sinks write the latest value to the CRM, and it never moves backwards (a late redelivery
-- of an older message does not shrink the window). Keyed by the hashed identity: no phone number is stored.
CREATE TABLE customer_window (
    identity_hash   VARCHAR(64)  NOT NULL,
    phone_number_id VARCHAR(64)  NOT NULL,
    last_inbound_at TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (identity_hash, phone_number_id)
);
