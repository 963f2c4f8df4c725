#include "dispatcher/core/local_time.hpp"

#include <ctime>

#include "dispatcher/core/context.hpp"

namespace centinela {

std::string alert_time_text(const Context&, std::string_view, Timestamp t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  localtime_r(&tt, &local);
  char buf[8];
  std::strftime(buf, sizeof buf, "%H:%M", &local);
  return buf;
}

}  // namespace centinela
