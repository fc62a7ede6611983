-- The reverse routes: what the bridge may send and what became of each request.

-- Template registry: every template of the WABA as the Graph API lists it (components, so parameters can be checked),
-- kept current by the template webhooks between syncs. A template a webhook names before any sync has no components
-- (NULL): it cannot be used until the next sync reads it.
CREATE TABLE whatsapp_template (
    waba_id          VARCHAR(64)  NOT NULL,
    name             VARCHAR(512) NOT NULL,
    language         VARCHAR(16)  NOT NULL,
    template_id      VARCHAR(64),
    status           VARCHAR(40)  NOT NULL,
    category         VARCHAR(40),
    parameter_format VARCHAR(16),
    components       TEXT,
    event_at         TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (waba_id, name, language)
);

CREATE INDEX whatsapp_template_template_id ON whatsapp_template (template_id);

-- Send ledger: one row per outbound request, unique per idempotency key, each step recorded before it happens. A row
-- in SENDING may have reached Meta: it is never sent again (its status webhooks settle it, else it ends UNKNOWN).
-- The recipient is kept to send; identity_hash is what the audit and the checks use.
CREATE TABLE outbound_request (
    id              UUID          PRIMARY KEY,
    idempotency_key VARCHAR(300)  NOT NULL UNIQUE,
    request_hash    VARCHAR(64)   NOT NULL,
    source          VARCHAR(32)   NOT NULL,
    requested_by    VARCHAR(300),
    phone_number_id VARCHAR(64)   NOT NULL,
    recipient       VARCHAR(300)  NOT NULL,
    identity_hash   VARCHAR(64)   NOT NULL,
    request         TEXT          NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    reason_code     VARCHAR(32),
    reason          VARCHAR(1000),
    wamid           VARCHAR(300)  UNIQUE,
    attempts        INT           NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    sending_since   TIMESTAMPTZ
);

CREATE INDEX outbound_request_state ON outbound_request (state, updated_at);

-- Marketing consent per person (hashed identity): a user_preferences stop or resume, a STOP quick reply, error 131050,
-- or an opt-in recorded through the API. The latest event wins; a late older one changes nothing.
CREATE TABLE customer_consent (
    identity_hash VARCHAR(64) PRIMARY KEY,
    marketing     VARCHAR(16) NOT NULL,
    source        VARCHAR(64) NOT NULL,
    event_at      TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
