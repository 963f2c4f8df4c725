// The time members read in a text ({time} in alerts): the moment an alert was raised, as a local
// clock time of the region it is about, with the zone it is in.
#pragma once

#include <string>
#include <string_view>

#include "dispatcher/core/clock.hpp"

namespace date {
class time_zone;
}

namespace centinela {

class Context;

// "14:05 PST": `t` on the wall clock of `zone`, with the zone's abbreviation at that instant from
// tzdata ("PDT" in summer). Where tzdata has no letters for a zone it has a number ("-03",
// "+0545"); those are written "UTC-3", "UTC+5:45", which members can read.
std::string clock_time_text(const date::time_zone& zone, Timestamp t);

// clock_time_text in the zone of `region_id` (TimeZones::of_region: inherited, else the
// top-level time_zone). The process's TZ plays no part.
std::string alert_time_text(const Context& ctx, std::string_view region_id, Timestamp t);

}  // namespace centinela
