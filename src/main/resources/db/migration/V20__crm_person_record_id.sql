-- The CRM's own id of the person record the sink wrote (HubSpot: the contact id its associations need), so a batch
-- that need not write an unchanged contact still knows what to associate its messages with.
ALTER TABLE crm_person_state ADD COLUMN record_id varchar(64);
