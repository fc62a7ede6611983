-- A request that ended UNKNOWN (its call may have reached Meta; no answer and no status within the bound) is written to
-- the CRMs as such: reported_at says its fact is on the facts topic, so each replica's reconcile timer reports it once.
ALTER TABLE outbound_request ADD COLUMN unknown_reported_at TIMESTAMPTZ;

-- A status that settled a request whose call's answer was lost owes the CRMs its outbound fact: late_fact_due is set in
-- the same statement that moves the request, and cleared once the fact is on its topic (the reconcile timer publishes
-- what a crash left owed).
ALTER TABLE outbound_request ADD COLUMN late_fact_due BOOLEAN NOT NULL DEFAULT false;

CREATE INDEX outbound_request_late_fact_due ON outbound_request (updated_at) WHERE late_fact_due;

CREATE INDEX outbound_request_unknown_unreported ON outbound_request (updated_at)
    WHERE state = 'unknown' AND unknown_reported_at IS NULL;
