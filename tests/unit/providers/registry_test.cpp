// make_provider: one place that knows every provider type.
#include <gtest/gtest.h>

#include "providers/registry.hpp"

#include <boost/asio/io_context.hpp>  // after net.hpp, which includes <utility> first

namespace centinela::providers {
namespace {

TEST(Registry, BuildsKnownTypes) {
  asio::io_context io;
  config::Provider console;
  console.name = "dev";
  console.type = "console";
  auto c = make_provider(console, io.get_executor());
  EXPECT_EQ(c->type(), "console");
  EXPECT_EQ(c->name(), "dev");

  config::Provider twilio;
  twilio.name = "twilio-main";
  twilio.type = "twilio";
  twilio.credentials = {{"account_sid", "AC1"}, {"auth_token", "t"}};
  EXPECT_EQ(make_provider(twilio, io.get_executor())->type(), "twilio");
}

TEST(Registry, UnknownTypeIsRejected) {
  asio::io_context io;
  config::Provider p;
  p.name = "x";
  p.type = "carrier-pigeon";
  EXPECT_THROW(make_provider(p, io.get_executor()), std::invalid_argument);
}

}  // namespace
}  // namespace centinela::providers
