-- Where each Salesforce Pub/Sub subscription resumes: the replay id of the last event whose outbound request is in
-- Kafka (stored only after that), read at start (replayPreset CUSTOM). Replicas share the row: each stores the
-- position it reached, and every position stored is one whose events, and all before them, are on the requests topic.
CREATE TABLE pubsub_replay (
    topic      VARCHAR(255) PRIMARY KEY,
    replay_id  VARCHAR(200) NOT NULL,
    event_id   VARCHAR(64),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
