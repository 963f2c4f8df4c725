// Schema version 3: flood defense. A quarantined report is stored and listed like any other but
// paged no one; reports from numbers never seen before are marked so bursts of them can be
// counted, and a burst shares one flood group id.
#pragma once

#include <string_view>

namespace centinela::storage {

inline constexpr std::string_view schema_v3 = R"sql(
ALTER TABLE reports ADD COLUMN quarantined boolean NOT NULL DEFAULT false;
-- A machine-readable reason: blocklist, low_trust, sender_rate_limit, region_rate_limit, flood_page_cap.
ALTER TABLE reports ADD COLUMN quarantine_reason text NOT NULL DEFAULT '';
-- The reporter had never reported before and was not a member when this report arrived.
ALTER TABLE reports ADD COLUMN new_reporter boolean NOT NULL DEFAULT false;
-- Set on the reports from new numbers of one possible coordinated flood.
ALTER TABLE reports ADD COLUMN flood_group bigint;
CREATE SEQUENCE flood_group_ids;

-- The counts the flood guard gathers on every report: by reporter, by region, and new numbers.
CREATE INDEX reports_by_reporter ON reports (reporter_idx, created_at) WHERE reporter_idx IS NOT NULL;
CREATE INDEX reports_by_region ON reports (region_id, created_at);
CREATE INDEX reports_from_new_reporters ON reports (created_at) WHERE new_reporter;
)sql";

}  // namespace centinela::storage
