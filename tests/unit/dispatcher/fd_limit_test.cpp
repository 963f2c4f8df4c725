// app::connections_that_fit: the HTTP cap never takes the descriptors the rest needs.
#include <gtest/gtest.h>

#include "dispatcher/app/fd_limit.hpp"

namespace centinela::app {
namespace {

TEST(FdLimit, TheCapFitsUnderTheLimit) {
  EXPECT_EQ(connections_that_fit(65536, 1024, 200), 1024);
  EXPECT_EQ(connections_that_fit(1024, 1024, 200), 824) << "systemd's default soft limit, if it cannot be raised";
  EXPECT_EQ(connections_that_fit(150, 1024, 200), 1) << "never zero: the server must still answer";
  EXPECT_EQ(connections_that_fit(0, 1024, 200), 1);
}

TEST(FdLimit, RaisingKeepsAtLeastTheOldLimit) {
  const FdLimit fds = raise_fd_limit();
  EXPECT_GT(fds.soft, 0u);
  EXPECT_LE(fds.soft, fds.hard);
}

}  // namespace
}  // namespace centinela::app
