-- Idempotency keys of Camel's JDBC idempotent repository, shared by every replica.
-- The primary key makes "have I seen this fact?" an atomic insert (see AtomicJdbcMessageIdRepository).
CREATE TABLE camel_messageprocessed (
    processorName VARCHAR(255) NOT NULL,
    messageId     VARCHAR(512) NOT NULL,
    createdAt     TIMESTAMP    NOT NULL,
    PRIMARY KEY (processorName, messageId)
);

-- The retention purge deletes by age.
CREATE INDEX camel_messageprocessed_created_at ON camel_messageprocessed (createdAt);
