#include "dispatcher/app/fd_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace centinela::app {

FdLimit raise_fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    // Linux refuses RLIM_INFINITY for descriptors; fs.nr_open bounds the hard limit anyway.
    if (raised.rlim_cur == RLIM_INFINITY) raised.rlim_cur = 1 << 20;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit.rlim_cur = raised.rlim_cur;
  }
  return {static_cast<std::uint64_t>(limit.rlim_cur), static_cast<std::uint64_t>(limit.rlim_max)};
}

int connections_that_fit(std::uint64_t soft, int wanted, int reserved) {
  const auto room = soft > static_cast<std::uint64_t>(reserved) ? soft - static_cast<std::uint64_t>(reserved) : 1;
  return static_cast<int>(std::clamp<std::uint64_t>(room, 1, static_cast<std::uint64_t>(std::max(wanted, 1))));
}

}  // namespace centinela::app
