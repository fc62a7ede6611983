-- When the bridge acknowledged the webhook that carried the fact: received_at → processed_at is the pipeline's latency.
ALTER TABLE event_audit ADD COLUMN received_at TIMESTAMPTZ;
