// Schema version 5: the alert lifecycle. Alerts carry CAP-like fields (msgType, status, urgency,
// severity, certainty, expires, references); UPDATE, CLEAR and RETRACT are alerts of their own
// that refer to the original and share its head report; CLEAR and RETRACT close the original and
// cancel its queued texts; a retraction's corrections are claimed before any other alert's texts.
#pragma once

#include <string_view>

namespace centinela::storage {

inline constexpr std::string_view schema_v5 = R"sql(
-- CAP msgType: 'alert' (Alert), 'update' (Update), 'clear' (Update, responseType AllClear),
-- 'retract' (Cancel). Follow-ups point at the original alert and share its (head) report.
ALTER TABLE alerts ADD COLUMN msg_type text NOT NULL DEFAULT 'alert'
  CHECK (msg_type IN ('alert', 'update', 'clear', 'retract'));
ALTER TABLE alerts ADD COLUMN references_id bigint REFERENCES alerts (id);
ALTER TABLE alerts ADD CONSTRAINT alerts_follow_up_references
  CHECK ((msg_type = 'alert') = (references_id IS NULL));
-- One original alert per report; its follow-ups share the report.
ALTER TABLE alerts DROP CONSTRAINT alerts_report_id_key;
CREATE UNIQUE INDEX alerts_one_original_per_report ON alerts (report_id) WHERE msg_type = 'alert';
CREATE INDEX alerts_by_original ON alerts (references_id) WHERE references_id IS NOT NULL;

-- CAP status: a drill ('exercise') reaches only the configured test group.
ALTER TABLE alerts ADD COLUMN status text NOT NULL DEFAULT 'actual'
  CHECK (status IN ('actual', 'exercise'));
ALTER TABLE alerts ADD COLUMN urgency text NOT NULL DEFAULT 'immediate'
  CHECK (urgency IN ('immediate', 'expected', 'future', 'past', 'unknown'));
ALTER TABLE alerts ADD COLUMN severity text NOT NULL DEFAULT 'severe'
  CHECK (severity IN ('extreme', 'severe', 'moderate', 'minor', 'unknown'));
ALTER TABLE alerts ADD COLUMN certainty text NOT NULL DEFAULT 'observed'
  CHECK (certainty IN ('observed', 'likely', 'possible', 'unlikely', 'unknown'));
-- Who sent it: the operator of a follow-up, or what the creator of the original named.
ALTER TABLE alerts ADD COLUMN sender_name text NOT NULL DEFAULT '';
-- 'cleared' / 'retracted': no text of this alert may leave any more (the original and its
-- updates, once a CLEAR or RETRACT closed them).
ALTER TABLE alerts ADD COLUMN state text NOT NULL DEFAULT 'active'
  CHECK (state IN ('active', 'cleared', 'retracted'));
ALTER TABLE alerts ADD COLUMN closed_at timestamptz;
-- An exercise original never goes through the member materializer: its test-group deliveries are
-- written when it is created, so it is born fully planned.
ALTER TABLE alerts ADD CONSTRAINT alerts_exercise_never_materialized
  CHECK (status = 'actual' OR msg_type <> 'alert' OR materialized_at IS NOT NULL);

-- 'cancelled': a queued text of an alert that was cleared or retracted; it never leaves.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN
  ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'expired', 'cancelled'));
-- Claim order among alert texts: 0 retraction corrections, 1 everything else; then alert id and
-- delivery id. Stored on the delivery so one partial index serves the claim's ORDER BY.
ALTER TABLE deliveries ADD COLUMN claim_rank smallint NOT NULL DEFAULT 1;
DROP INDEX deliveries_queued;
CREATE INDEX deliveries_claim ON deliveries (claim_rank, alert_id, id) WHERE status = 'queued';
)sql";

}  // namespace centinela::storage
