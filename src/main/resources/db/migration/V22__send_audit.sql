-- The governance audit beside operator_action (V21): every step of every outbound request, and the webhooks refused
-- per minute. Append-only like operator_action; rows leave only by the retention purge, after
-- whatsapp.audit.governance-retention-days (which now governs operator_action too).

-- Every outbound request from the moment it is accepted: who asked (the API token's name, salesforce record id,
-- workflow:<id>, webhook:<key>), the checks' verdict (refused and its code, or sending: the checks passed) and every
-- outcome Meta gave (sent with the wamid, retry_later, failed, delivered, read) or its absence (unknown). The customer
-- only as the hashed identity, never the number or the message. Written by the trigger on outbound_request below, in
-- the transaction of each step, so no step of the ledger can happen without its audit row.
CREATE TABLE send_audit (
    id              BIGSERIAL PRIMARY KEY,
    at              TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
    request_id      UUID         NOT NULL,
    -- accepted, sending (checks passed; attempt n), retry_later, sent, delivered, read, failed, refused, unknown,
    -- withdrawn (accepted but never queued: the caller was told to retry), erased (by the erasure command)
    step            VARCHAR(16)  NOT NULL,
    source          VARCHAR(32)  NOT NULL,
    requested_by    VARCHAR(300),
    -- NULL once the person is erased (requested_by too when it is their own CRM record: a Salesforce send)
    identity_hash   VARCHAR(64),
    phone_number_id VARCHAR(64)  NOT NULL,
    -- name/language of a template; NULL for a text
    template        VARCHAR(600),
    attempt         INT          NOT NULL,
    -- the code of a refused, retry_later, failed or unknown step; NULL on the others
    reason_code     VARCHAR(32),
    wamid           VARCHAR(300)
);

CREATE INDEX send_audit_at ON send_audit (at);
CREATE INDEX send_audit_request ON send_audit (request_id);
CREATE INDEX send_audit_identity ON send_audit (identity_hash) WHERE identity_hash IS NOT NULL;

-- The template a request names, as name/language; NULL for a text, or for a request PostgreSQL cannot read as JSON
-- (a \u0000 in a name): the audit row is written without it rather than the send refused.
CREATE FUNCTION send_audit_template(request TEXT) RETURNS TEXT AS $$
BEGIN
    IF strpos(request, '"template"') = 0 THEN
        RETURN NULL;
    END IF;
    RETURN left(nullif(concat_ws('/', request::json #>> '{template,name}', request::json #>> '{template,language}'),
                       ''), 600);
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$ LANGUAGE plpgsql IMMUTABLE;

CREATE FUNCTION outbound_request_audit() RETURNS trigger AS $$
DECLARE
    r    outbound_request;
    step TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
        IF current_setting('wacrm.erasure', true) = 'on' THEN
            step := 'erased';
        ELSIF OLD.state = 'accepted' THEN
            step := 'withdrawn';
        ELSE
            -- the retention purge of a finished request: its steps are already here
            RETURN NULL;
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        r := NEW;
        step := 'accepted';
    ELSIF NEW.state IS DISTINCT FROM OLD.state THEN
        r := NEW;
        step := CASE WHEN OLD.state = 'sending' AND NEW.state = 'accepted' THEN 'retry_later' ELSE NEW.state END;
    ELSIF NEW.wamid IS DISTINCT FROM OLD.wamid THEN
        -- Meta's answer after a status had already moved the request: the answer is still an outcome
        r := NEW;
        step := 'sent';
    ELSE
        RETURN NULL;
    END IF;
    INSERT INTO send_audit (request_id, step, source, requested_by, identity_hash, phone_number_id, template, attempt,
                            reason_code, wamid)
    VALUES (r.id, step, r.source, r.requested_by, CASE WHEN step = 'erased' THEN NULL ELSE r.identity_hash END,
            r.phone_number_id, send_audit_template(r.request), r.attempts,
            -- a retry's code stays on the ledger row until the next outcome: only the steps it belongs to carry it
            CASE WHEN step IN ('refused', 'retry_later', 'failed', 'unknown') THEN r.reason_code END, r.wamid);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER outbound_request_audited AFTER INSERT OR UPDATE OR DELETE ON outbound_request
    FOR EACH ROW EXECUTE FUNCTION outbound_request_audit();

-- Append-only: the one change allowed is forgetting whom a row was about (the erasure command sets identity_hash and a
-- Salesforce record id in requested_by to NULL). Rows leave by the retention purge.
CREATE FUNCTION send_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF (NEW.identity_hash IS NULL OR NEW.identity_hash IS NOT DISTINCT FROM OLD.identity_hash)
       AND (NEW.requested_by IS NULL OR NEW.requested_by IS NOT DISTINCT FROM OLD.requested_by)
       AND (to_jsonb(NEW) - 'identity_hash' - 'requested_by') = (to_jsonb(OLD) - 'identity_hash' - 'requested_by') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'send_audit is append-only (only whom a row is about may be erased)';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER send_audit_no_update BEFORE UPDATE ON send_audit
    FOR EACH ROW EXECUTE FUNCTION send_audit_append_only();

-- The webhooks the intake refused, counted per minute and reason (bad_signature, too_large, handshake_refused): a burst
-- of bad signatures is visible without a row per request. Each replica adds its own count of a minute (a minute may have
-- a row per replica: sum them).
CREATE TABLE webhook_refusal (
    id       BIGSERIAL PRIMARY KEY,
    minute   TIMESTAMPTZ NOT NULL,
    reason   VARCHAR(32) NOT NULL,
    refusals INT         NOT NULL,
    replica  VARCHAR(128)
);

CREATE INDEX webhook_refusal_minute ON webhook_refusal (minute);

-- Refuses any update of the table it guards (the governance audit's tables from now on; V21 has its own)
CREATE FUNCTION refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER webhook_refusal_no_update BEFORE UPDATE ON webhook_refusal
    FOR EACH ROW EXECUTE FUNCTION refuse_update();
