-- The HubSpot ticket the bridge last opened per customer (hashed identity): the sink asks HubSpot whether it is still
-- open instead of searching. Shared by every replica.
CREATE TABLE hubspot_ticket (
    identity_hash    varchar(128) PRIMARY KEY,
    ticket_id        varchar(64)  NOT NULL,
    conversation_key varchar(255) NOT NULL,
    updated_at       timestamptz  NOT NULL DEFAULT now()
);
