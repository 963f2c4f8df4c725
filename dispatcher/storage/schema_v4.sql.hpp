// Schema version 4: the responder workflow. On-call state, claims under a lease, escalation
// timers kept in the database (so they survive a restart and fire once however many instances
// run), evidence and verification level, incidents, MORE relays, drills, and priority classes
// for one-off texts.
#pragma once

#include <string_view>

namespace centinela::storage {

inline constexpr std::string_view schema_v4 = R"sql(
-- ON / OFF by SMS. The override holds until the operator's next scheduled shift boundary (see
-- queue/on_call.hpp); operators without a row follow their schedule, or are on call.
CREATE TABLE operator_duty (
  operator    text PRIMARY KEY,              -- the operator's name in config
  on_call     boolean NOT NULL,
  changed_at  timestamptz NOT NULL
);

-- An incident is known by its first report (its head): later reports of the same area within the
-- window point at it. Claims, escalation, evidence and the decision live on the head.
ALTER TABLE reports ADD COLUMN incident_id bigint REFERENCES reports (id);
ALTER TABLE reports ADD COLUMN claimed_by text;
ALTER TABLE reports ADD COLUMN claimed_at timestamptz;
ALTER TABLE reports ADD COLUMN claim_expires_at timestamptz;
ALTER TABLE reports ADD COLUMN escalation_tier int NOT NULL DEFAULT 1;
-- When the next tier is paged if nobody acts; NULL after the last tier.
ALTER TABLE reports ADD COLUMN next_tier_at timestamptz;
-- When the escalation loop must look at this report next: the next tier or the lapse of a claim.
ALTER TABLE reports ADD COLUMN escalate_at timestamptz
  GENERATED ALWAYS AS (least(next_tier_at, claim_expires_at)) STORED;
-- The verification checklist: {"what": ..., "where": ..., "when": ..., "agency": ...,
-- "vehicles": ..., "corroboration": ...}. Encrypted like the report text: it may name people.
ALTER TABLE reports ADD COLUMN evidence_enc bytea;
ALTER TABLE reports ADD COLUMN verification_level text
  CHECK (verification_level IN ('verified', 'unverified', 'rejected'));
ALTER TABLE reports ADD COLUMN exercise boolean NOT NULL DEFAULT false;
CREATE INDEX reports_escalation_due ON reports (escalate_at)
  WHERE status = 'pending' AND escalate_at IS NOT NULL;
CREATE INDEX reports_open_incidents ON reports (created_at)
  WHERE status = 'pending' AND incident_id IS NULL;
CREATE INDEX reports_by_incident ON reports (incident_id) WHERE incident_id IS NOT NULL;

-- Who has been paged about an incident, and at which tier: escalation adds people, and "taken"
-- notices go to exactly those who were told.
CREATE TABLE report_pages (
  report_id  bigint NOT NULL REFERENCES reports (id),
  operator   text NOT NULL,
  tier       int NOT NULL,
  at         timestamptz NOT NULL,
  PRIMARY KEY (report_id, operator)
);

-- MORE <id> <question>: the reporter's next text within the window goes to the operator who
-- asked, not into the queue. Neither side sees the other's number.
CREATE TABLE relays (
  id            bigserial PRIMARY KEY,
  report_id     bigint NOT NULL REFERENCES reports (id),
  operator      text NOT NULL,
  reporter_idx  bytea NOT NULL,
  asked_at      timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX relays_by_reporter ON relays (reporter_idx, asked_at);

-- Priority classes of one-off texts: 0 operator notifications, escalations and answers to
-- operators; 2 routine replies to members (join confirmations, help). Alert deliveries (1) go
-- between the two.
ALTER TABLE outbox ADD COLUMN priority smallint NOT NULL DEFAULT 0;
DROP INDEX outbox_queued;
CREATE INDEX outbox_queued ON outbox (priority, id) WHERE status = 'queued';
)sql";

}  // namespace centinela::storage
