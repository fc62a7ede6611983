-- A key is first claimed (confirmed = false) and confirmed once its fact has been processed. A claim whose
-- processing died without being able to release it (the database itself was away) can be taken over after a lease.
ALTER TABLE camel_messageprocessed ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT TRUE;
