-- A request that ended UNKNOWN (its call may have reached Meta; no answer and no status within the bound) is written to
-- the CRMs as such: reported_at says its fact is on the facts topic, so each replica's reconcile timer reports it once.
ALTER TABLE outbound_request ADD COLUMN unknown_reported_at TIMESTAMPTZ;

CREATE INDEX outbound_request_unknown_unreported ON outbound_request (updated_at)
    WHERE state = 'unknown' AND unknown_reported_at IS NULL;
