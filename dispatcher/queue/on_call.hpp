// Who is on shift. An operator's schedule (config) says when they are on call; ON or OFF by SMS
// overrides it until the next shift boundary, so "OFF" at the end of a night does not silence
// tomorrow's shift. An operator without a schedule is on call until they text OFF. Shifts run on
// the wall clock of the operator's first region (TimeZones::of_operator), never the machine's.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include <pqxx/transaction>

#include "config/config.hpp"
#include "dispatcher/core/clock.hpp"

namespace date {
class time_zone;
}

namespace centinela {
class Context;
}

namespace centinela::queue {

struct DutyOverride {
  bool on_call = true;
  Timestamp changed_at;
};

// Pure: whether `op` is on call at `now`, given their last ON/OFF (if any), with shifts read on
// the wall clock of `zone`.
bool is_on_call(const config::Operator& op, const date::time_zone& zone,
                const std::optional<DutyOverride>& override, Timestamp now);

// The latest shift start or end at or before `now` (nullopt: no schedule), exact across
// daylight-saving changes.
std::optional<Timestamp> last_shift_boundary(const config::Operator& op, const date::time_zone& zone,
                                             Timestamp now);

// Names of the operators on call now, each on their own region's clock.
std::set<std::string> operators_on_call(pqxx::transaction_base& tx, const Context& ctx, Timestamp now);

// ON / OFF: records the override (audited in the operator_duty row's changed_at).
void set_on_call(pqxx::work& tx, const config::Operator& op, bool on_call, Timestamp now);

}  // namespace centinela::queue
