// File descriptors for `serve`: every HTTP connection costs one, and so do the database and
// provider connections, which must never be the ones that run out.
#pragma once

#include <cstdint>

namespace centinela::app {

struct FdLimit {
  std::uint64_t soft = 0;  // after raising it
  std::uint64_t hard = 0;
};

// Raises RLIMIT_NOFILE's soft limit to its hard limit (systemd's default soft limit is 1024,
// the hard one far higher): the connection cap is reachable only if the descriptors exist.
FdLimit raise_fd_limit();

// How many HTTP connections fit in `soft` descriptors once `reserved` are kept for everything
// else, at most `wanted` and at least 1.
int connections_that_fit(std::uint64_t soft, int wanted, int reserved);

}  // namespace centinela::app
