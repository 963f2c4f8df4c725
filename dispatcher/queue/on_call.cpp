#include "dispatcher/queue/on_call.hpp"

#include <ctime>

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using namespace std::chrono;
constexpr int minutes_per_day = 24 * 60;
constexpr int minutes_per_week = 7 * minutes_per_day;

// Minutes since Sunday 00:00 local time, and the instant of that Sunday midnight.
struct WeekPosition {
  int minute_of_week = 0;
  Timestamp week_start;
};

WeekPosition week_position(Timestamp now) {
  const std::time_t t = system_clock::to_time_t(now);
  std::tm local{};
  localtime_r(&t, &local);
  const int minute_of_week = (local.tm_wday * 24 + local.tm_hour) * 60 + local.tm_min;
  // Around a daylight-saving change this is an hour off for the shifts that span it; a shift is
  // minutes-exact the rest of the year.
  const auto into_week = minutes{minute_of_week} + seconds{local.tm_sec} + now.time_since_epoch() % seconds{1};
  return {minute_of_week, now - into_week};
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

std::optional<Timestamp> last_shift_boundary(const config::Operator& op, Timestamp now) {
  if (op.schedule.empty()) return std::nullopt;
  const auto pos = week_position(now);
  int best = -1;  // minutes back from now to the latest boundary
  for (const auto& w : windows_of(op)) {
    for (const int boundary : {w.start, w.end % minutes_per_week}) {
      const int back = (pos.minute_of_week - boundary + minutes_per_week) % minutes_per_week;
      if (best < 0 || back < best) best = back;
    }
  }
  const auto now_minute = pos.week_start + minutes{pos.minute_of_week};
  return now_minute - minutes{best};
}

bool is_on_call(const config::Operator& op, const std::optional<DutyOverride>& override, Timestamp now) {
  const auto boundary = last_shift_boundary(op, now);
  if (override && (!boundary || override->changed_at >= *boundary)) return override->on_call;
  if (op.schedule.empty()) return true;
  return scheduled_at(windows_of(op), week_position(now).minute_of_week);
}

std::set<std::string> operators_on_call(pqxx::transaction_base& tx, const config::Config& cfg, Timestamp now) {
  std::map<std::string, DutyOverride> overrides;
  for (const auto& row : tx.exec("SELECT operator, on_call, " + storage::epoch_us("changed_at") + " FROM operator_duty"))
    overrides[row[0].as<std::string>()] = {row[1].as<bool>(), storage::from_micros(row[2].as<std::int64_t>())};
  std::set<std::string> out;
  for (const auto& op : cfg.operators) {
    const auto it = overrides.find(op.name);
    const auto override = it == overrides.end() ? std::nullopt : std::optional<DutyOverride>(it->second);
    if (is_on_call(op, override, now)) out.insert(op.name);
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
