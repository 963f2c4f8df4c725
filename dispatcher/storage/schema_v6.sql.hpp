// Schema version 6: a reply leaves from the number the person texted (with several sending
// numbers, any sender's loop could otherwise claim it, and a STOP or HELP answered from a number
// the member never wrote to looks like a stranger); operators' notes and questions are stored
// encrypted on the audit trail; a confirmed incident still gathers the sightings of its raid.
#pragma once

#include <string_view>

namespace centinela::storage {

inline constexpr std::string_view schema_v6 = R"sql(
-- One of our own sending numbers (E.164), not a member's; NULL: any sender may send it.
ALTER TABLE outbox ADD COLUMN from_number text;
-- When a one-off text was claimed: one left `sending` by a record that gave up is requeued by the
-- running service's sweep, like a delivery, not only at the next restart.
ALTER TABLE outbox ADD COLUMN sending_at timestamptz;
CREATE INDEX outbox_sending ON outbox (id) WHERE status = 'sending';

-- Free text an operator writes on the trail (NOTE, MORE) may name people: ciphertext here, and
-- `detail` keeps only what is safe to read in the clear.
ALTER TABLE report_actions ADD COLUMN detail_enc bytea;

-- 'held': an UPDATE to more members than verification.second_approver_above, waiting for a second
-- operator's APPROVE; never planned until then. 'superseded': a held update replaced by a newer
-- one before anyone approved it.
ALTER TABLE alerts DROP CONSTRAINT alerts_state_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_state_check
  CHECK (state IN ('active', 'held', 'superseded', 'cleared', 'retracted'));

-- Incident heads a new report may join: pending ones, and confirmed ones whose raid is still
-- going on (a later sighting must not page everyone again and end in a second alert).
DROP INDEX reports_open_incidents;
CREATE INDEX reports_open_incidents ON reports (created_at)
  WHERE status IN ('pending', 'confirmed') AND incident_id IS NULL AND NOT quarantined;
)sql";

}  // namespace centinela::storage
