-- Who did what on the operator endpoints, and what came of it: every state-changing request (setup, replays) and
-- every refused request (401, 403), written by OperatorAudit once the answer is known. Append-only: an update is
-- refused by the trigger; rows leave only by the retention purge (whatsapp.operators.audit-retention-days).
CREATE TABLE operator_action (
    id       BIGSERIAL PRIMARY KEY,
    at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- the token's configured name or the JWT's subject; 'anonymous' when no credential was accepted
    actor    TEXT NOT NULL,
    -- how the caller was authenticated: token, jwt, or none
    via      TEXT NOT NULL,
    -- the request, e.g. 'POST /actuator/deadletters/salesforce'
    action   TEXT NOT NULL,
    status   INTEGER NOT NULL,
    -- done, refused_unauthenticated, refused_forbidden, failed
    outcome  TEXT NOT NULL,
    -- the start of the answer's body (counts, states; the operator endpoints answer no personal data)
    detail   TEXT
);

CREATE INDEX operator_action_at ON operator_action (at);

CREATE FUNCTION operator_action_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'operator_action is append-only';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER operator_action_no_update BEFORE UPDATE ON operator_action
    FOR EACH ROW EXECUTE FUNCTION operator_action_append_only();
