// Schema version 7: what review and black-box testing found. A one-off text has a deadline of its
// own (retries run until a deadline, never for a count); an opt-out finds the member's queued texts
// by member; the data key is checked against a known sealed value before anything is sent; a web
// form's contact number is kept apart from proven reporters; and the free text operators write
// (confirmation summaries, NO reasons, alert words) is stored encrypted (the keyed step of this
// migration, storage/free_text_migration.cpp, encrypts what earlier versions stored in clear).
#pragma once

#include <string_view>

namespace centinela::storage {

inline constexpr std::string_view schema_v7 = R"sql(
-- Operator pages and replies are retried until this moment (pages also only while their report is
-- pending), then marked 'expired': a transient provider error never fails a text for good.
ALTER TABLE outbox ADD COLUMN expires_at timestamptz;
UPDATE outbox SET expires_at = created_at + interval '24 hours';
ALTER TABLE outbox ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'expired'));

-- A STOP cancels the member's queued texts inside the webhook's transaction: after a large fan-out
-- that must be an index lookup, not a scan of every delivery.
CREATE INDEX deliveries_queued_by_subscriber ON deliveries (subscriber_id) WHERE status = 'queued';

-- Every claim asks which alerts are live (they share each sender in turn): an index over the few
-- that are, not a scan of every alert ever sent.
CREATE INDEX alerts_live ON alerts (expires_at) WHERE state = 'active';

-- A known plaintext sealed with the data key the database was first served with: `serve` refuses
-- a different key at start instead of failing every text.
CREATE TABLE data_key_check (
  id          int PRIMARY KEY CHECK (id = 1),
  sealed      bytea NOT NULL,
  created_at  timestamptz NOT NULL
);

-- A web form's contact_phone was typed by whoever filled the form: it was never proven to be the
-- reporter's. It is only a number to call back, never a reporter (no trust, no rate limit, no
-- flood exemption): reports stored before kept it as the reporter.
ALTER TABLE reports ADD COLUMN contact_enc bytea;
UPDATE reports SET contact_enc = reporter_enc, reporter_enc = NULL, reporter_idx = NULL, new_reporter = false
  WHERE source = 'api' AND reporter_enc IS NOT NULL;

-- The operator's words members read, encrypted like every other free text; `summary` stays only
-- for rows the keyed step has not encrypted yet.
ALTER TABLE alerts ADD COLUMN summary_enc bytea;
ALTER TABLE alerts ALTER COLUMN summary SET DEFAULT '';
)sql";

}  // namespace centinela::storage
