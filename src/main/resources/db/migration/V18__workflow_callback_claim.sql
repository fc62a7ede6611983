-- A replica completing a batch of HubSpot callbacks claims them for 30 s, so two replicas never complete one twice
-- (SKIP LOCKED: each takes callbacks the other has not claimed).
ALTER TABLE workflow_callback ADD COLUMN claimed_until TIMESTAMPTZ;
