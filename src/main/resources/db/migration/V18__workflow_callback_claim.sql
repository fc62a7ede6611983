-- A replica completing a batch of HubSpot callbacks claims them for 5 minutes, so two replicas never complete one twice
-- (SKIP LOCKED: each takes callbacks the other has not claimed).
ALTER TABLE workflow_callback ADD COLUMN claimed_until TIMESTAMPTZ;
-- whose claim it is: a replica closes only the callbacks it still holds
ALTER TABLE workflow_callback ADD COLUMN claim_token UUID;
