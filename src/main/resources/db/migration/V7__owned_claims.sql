-- Claims belong to their owner. A claim records the token of the exchange that won it and the replica that runs that
-- exchange: confirm and release touch only the owner's own row, and another replica takes a claim over only when its
-- lease has run out or its replica has stopped beating (bridge_replica). Times are timestamptz: replicas in other time
-- zones must not skew a lease (the old column held the server's local time).
ALTER TABLE camel_messageprocessed
    ALTER COLUMN createdAt TYPE timestamptz USING createdAt AT TIME ZONE current_setting('TimeZone');
ALTER TABLE camel_messageprocessed ADD COLUMN owner VARCHAR(64);
ALTER TABLE camel_messageprocessed ADD COLUMN replica VARCHAR(128);

-- Every running replica, with the database's time of its last heartbeat. A replica that stops beating (killed, cut off)
-- has its unconfirmed claims taken over after whatsapp.idempotency.replica-timeout-seconds, not after the whole lease.
CREATE TABLE bridge_replica (
    replica_id   VARCHAR(128) PRIMARY KEY,
    started_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    heartbeat_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
