-- HubSpot records the sink created whose first values (a contact's names, a communication's timestamp) are not set
-- yet: HubSpot answers "new" only once, so if the follow-up update fails with its batch, the retry (which sees
-- "new: false") still sends them. Keyed by HubSpot's object id, so no personal data is kept.
CREATE TABLE hubspot_pending_create_values (
    object_type VARCHAR(32) NOT NULL,
    object_id   VARCHAR(64) NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (object_type, object_id)
);
