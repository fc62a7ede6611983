-- The files the media routes stored in a CRM (routes/70-media-transfer), one row per CRM and message: written the
-- moment the CRM answered the upload, before the message record is marked, so a transfer interrupted between the two
-- (a crash, a rebalance, the CRM away for the second call) marks the record with the file it already has instead of
-- uploading it a second time. No personal data: the wamid, the CRM and the CRM's file id. Purged with the pipeline's
-- retention (the facts topic is never read further back).
CREATE TABLE media_transfer (
    crm          VARCHAR(16)  NOT NULL,
    wamid        VARCHAR(200) NOT NULL,
    crm_file_id  VARCHAR(64)  NOT NULL,
    stored_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (crm, wamid)
);
CREATE INDEX media_transfer_stored_at ON media_transfer (stored_at);
