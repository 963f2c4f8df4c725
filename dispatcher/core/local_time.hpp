// The time members read in a text ({time} in alerts): the moment an alert was raised, as a local
// clock time of the region it is about.
#pragma once

#include <string>
#include <string_view>

#include "dispatcher/core/clock.hpp"

namespace centinela {

class Context;

// "14:05" of `t` in the service's local time zone (set TZ for the service).
std::string alert_time_text(const Context& ctx, std::string_view region_id, Timestamp t);

}  // namespace centinela
