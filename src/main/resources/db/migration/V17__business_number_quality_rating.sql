-- The quality rating Meta shows for each number of the WABA (GREEN, YELLOW, RED, UNKNOWN), read from the Graph API's
-- phone-number list on a schedule: no marketing from a RED number, beside the quality webhooks' FLAGGED.
ALTER TABLE business_number_state ADD COLUMN quality_rating VARCHAR(16);
ALTER TABLE business_number_state ADD COLUMN rating_at TIMESTAMPTZ;
