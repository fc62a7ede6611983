-- HubSpot custom workflow actions: a request that came from a workflow completes the action's callback once its
-- outcome is known (delivered, read, failed, refused, unknown; sent after a grace period), so the workflow can branch.
CREATE TABLE workflow_callback (
    request_id   UUID         PRIMARY KEY REFERENCES outbound_request (id) ON DELETE CASCADE,
    callback_id  VARCHAR(200) NOT NULL UNIQUE,
    outcome      VARCHAR(16),
    completed_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX workflow_callback_open ON workflow_callback (created_at) WHERE completed_at IS NULL;
