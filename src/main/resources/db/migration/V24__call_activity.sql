-- The call activity of each WhatsApp call in each CRM (routes/74-call-activities): the CRM's id of the activity
-- (a Salesforce Task, a HubSpot call) and the call's state merged from its events, so the events of one call make one
-- activity, in any order, and a status never goes back. record_id NULL: a creation was started and may have reached
-- the CRM (the next try looks for it first). No personal data: the call id (wacid), ids and times.
CREATE TABLE call_activity (
    crm         VARCHAR(16)  NOT NULL,
    call_id     VARCHAR(200) NOT NULL,
    record_id   VARCHAR(64),
    state       JSONB,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (crm, call_id)
);
CREATE INDEX call_activity_updated_at ON call_activity (updated_at);
