#include "dispatcher/app/logging.hpp"

#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>

namespace centinela::app {

void configure_logging() {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
  const char* level = std::getenv("CENTINELA_LOG_LEVEL");
  spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::info);
  spdlog::flush_on(spdlog::level::info);  // a crash must not eat the last lines before it
}

}  // namespace centinela::app
