-- The quality rating Meta shows for each number of the WABA (GREEN, YELLOW, RED, UNKNOWN), read from the Graph API's
-- phone-number list on a schedule: no marketing from a RED number, beside the quality webhooks' FLAGGED. And the
-- number's throughput level, raised by a THROUGHPUT_UPGRADE webhook, for the send throttle.
ALTER TABLE business_number_state ADD COLUMN quality_rating VARCHAR(16);
ALTER TABLE business_number_state ADD COLUMN rating_at TIMESTAMPTZ;
-- HIGH once a THROUGHPUT_UPGRADE quality webhook said the number takes 1,000 messages per second (Meta's default: 80)
ALTER TABLE business_number_state ADD COLUMN throughput VARCHAR(16);
