// Schema version 2: the member lifecycle. Double opt-in (a JOIN waits for the member's YES),
// LEAVE of one region and language changes, all written to the consent ledger.
#pragma once

#include <string_view>

namespace centinela::storage {

inline constexpr std::string_view schema_v2 = R"sql(
-- 'pending': a number that asked to JOIN and has not confirmed with YES yet. Fan-out only ever
-- selects 'active', so a pending number is never texted an alert.
ALTER TABLE subscribers DROP CONSTRAINT subscribers_status_check;
ALTER TABLE subscribers ADD CONSTRAINT subscribers_status_check
  CHECK (status IN ('active', 'opted_out', 'pending'));

-- A JOIN waiting for its YES. The subscription itself (which fan-out reads) is only written on
-- confirmation, so a pending region never receives alerts, whatever the member's status.
CREATE TABLE pending_joins (
  subscriber_id  bigint NOT NULL REFERENCES subscribers (id),
  region_id      text NOT NULL,
  requested_at   timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  PRIMARY KEY (subscriber_id, region_id)
);

ALTER TABLE consent_events DROP CONSTRAINT consent_events_event_check;
ALTER TABLE consent_events ADD CONSTRAINT consent_events_event_check CHECK (event IN (
  'join', 'opt_out', 'opt_in', 'provider_opt_out',
  'join_requested', 'join_confirmed', 'leave', 'language'));
-- What the event was about beyond its region: the new language, or how an opt-out arrived
-- ("keyword", "phrase", "provider").
ALTER TABLE consent_events ADD COLUMN detail text NOT NULL DEFAULT '';
)sql";

}  // namespace centinela::storage
