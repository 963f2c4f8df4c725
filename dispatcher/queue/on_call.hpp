// Who is on shift. An operator's schedule (config) says when they are on call; ON or OFF by SMS
// overrides it until the next shift boundary, so "OFF" at the end of a night does not silence
// tomorrow's shift. An operator without a schedule is on call until they text OFF.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include <pqxx/transaction>

#include "config/config.hpp"
#include "dispatcher/core/clock.hpp"

namespace centinela::queue {

struct DutyOverride {
  bool on_call = true;
  Timestamp changed_at;
};

// Pure: whether `op` is on call at `now`, given their last ON/OFF (if any). Shifts are read in
// the service's local time zone.
bool is_on_call(const config::Operator& op, const std::optional<DutyOverride>& override, Timestamp now);

// The latest shift start or end at or before `now` (nullopt: no schedule).
std::optional<Timestamp> last_shift_boundary(const config::Operator& op, Timestamp now);

// Names of the operators on call now.
std::set<std::string> operators_on_call(pqxx::transaction_base& tx, const config::Config& cfg, Timestamp now);

// ON / OFF: records the override (audited in the operator_duty row's changed_at).
void set_on_call(pqxx::work& tx, const config::Operator& op, bool on_call, Timestamp now);

}  // namespace centinela::queue
