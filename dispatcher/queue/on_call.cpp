#include "dispatcher/queue/on_call.hpp"

#include <date/tz.h>
#include <pqxx/pqxx>

#include "dispatcher/core/context.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using namespace std::chrono;
constexpr int minutes_per_day = 24 * 60;
constexpr int minutes_per_week = 7 * minutes_per_day;

// Minutes since Sunday 00:00 on the zone's wall clock, and that Sunday midnight.
struct WeekPosition {
  int minute_of_week = 0;
  date::local_seconds week_start;
};

WeekPosition week_position(const date::time_zone& zone, Timestamp now) {
  const auto local = zone.to_local(floor<seconds>(now));
  const auto day = date::floor<date::days>(local);  // qualified: ADL also finds std::chrono::floor
  const int weekday = static_cast<int>(date::weekday{day}.c_encoding());  // 0 = Sunday
  const int minute_of_day = static_cast<int>(floor<minutes>(local - day).count());
  return {weekday * minutes_per_day + minute_of_day, day - date::days{weekday}};
}

// Each shift as [start, end) in minutes of the week; one past midnight wraps into the next day.
struct Window {
  int start = 0;
  int end = 0;  // may exceed a week: Saturday night into Sunday
};

std::vector<Window> windows_of(const config::Operator& op) {
  std::vector<Window> out;
  for (const auto& shift : op.schedule) {
    const int length = (shift.end_minute - shift.start_minute + minutes_per_day) % minutes_per_day;
    for (const int day : shift.days) {
      const int start = day * minutes_per_day + shift.start_minute;
      out.push_back({start, start + (length == 0 ? minutes_per_day : length)});
    }
  }
  return out;
}

bool scheduled_at(const std::vector<Window>& windows, int minute_of_week) {
  for (const auto& w : windows) {
    // A window that runs past the end of the week also covers the start of the next one.
    for (const int m : {minute_of_week, minute_of_week + minutes_per_week})
      if (m >= w.start && m < w.end) return true;
  }
  return false;
}

}  // namespace

std::optional<Timestamp> last_shift_boundary(const config::Operator& op, const date::time_zone& zone,
                                             Timestamp now) {
  if (op.schedule.empty()) return std::nullopt;
  const auto pos = week_position(zone, now);
  int best = -1;  // wall-clock minutes back from now to the latest boundary
  for (const auto& w : windows_of(op)) {
    for (const int boundary : {w.start, w.end % minutes_per_week}) {
      const int back = (pos.minute_of_week - boundary + minutes_per_week) % minutes_per_week;
      if (best < 0 || back < best) best = back;
    }
  }
  // Back on the wall clock, then to an instant, so a daylight-saving change in between does not
  // move the boundary by an hour. A boundary in the hour skipped in spring is the moment it was
  // skipped; one in the hour repeated in autumn is its first pass (earliest: never after now).
  const auto boundary = pos.week_start + minutes{pos.minute_of_week - best};
  const Timestamp at = zone.to_sys(boundary, date::choose::earliest);
  return at;
}

bool is_on_call(const config::Operator& op, const date::time_zone& zone,
                const std::optional<DutyOverride>& override, Timestamp now) {
  const auto boundary = last_shift_boundary(op, zone, now);
  if (override && (!boundary || override->changed_at >= *boundary)) return override->on_call;
  if (op.schedule.empty()) return true;
  return scheduled_at(windows_of(op), week_position(zone, now).minute_of_week);
}

std::set<std::string> operators_on_call(pqxx::transaction_base& tx, const Context& ctx, Timestamp now) {
  std::map<std::string, DutyOverride> overrides;
  for (const auto& row : tx.exec("SELECT operator, on_call, " + storage::epoch_us("changed_at") + " FROM operator_duty"))
    overrides[row[0].as<std::string>()] = {row[1].as<bool>(), storage::from_micros(row[2].as<std::int64_t>())};
  std::set<std::string> out;
  for (const auto& op : ctx.config().operators) {
    const auto it = overrides.find(op.name);
    const auto override = it == overrides.end() ? std::nullopt : std::optional<DutyOverride>(it->second);
    if (is_on_call(op, ctx.time_zones().of_operator(op), override, now)) out.insert(op.name);
  }
  return out;
}

void set_on_call(pqxx::work& tx, const config::Operator& op, bool on_call, Timestamp now) {
  tx.exec_params(
      "INSERT INTO operator_duty (operator, on_call, changed_at) VALUES ($1, $2, to_timestamp($3 / 1e6)) "
      "ON CONFLICT (operator) DO UPDATE SET on_call = EXCLUDED.on_call, changed_at = EXCLUDED.changed_at",
      op.name, on_call, storage::to_micros(now));
}

}  // namespace centinela::queue
