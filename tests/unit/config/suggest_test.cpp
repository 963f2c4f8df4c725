// Edit distance and "did you mean" suggestions.
#include <gtest/gtest.h>

#include "config/suggest.hpp"

namespace centinela::config {
namespace {

TEST(Suggest, EditDistance) {
  EXPECT_EQ(edit_distance("listen", "listen"), 0u);
  EXPECT_EQ(edit_distance("lisen", "listen"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("nmae", "name"), 1u);  // a swap is one slip
}

TEST(Suggest, ClosestMatchOnlyWhenPlausible) {
  const std::vector<std::string_view> keys{"listen", "public_base_url", "read_timeout"};
  EXPECT_EQ(closest_match("lisen", keys), "listen");
  EXPECT_EQ(closest_match("Listen", keys), "listen");
  EXPECT_EQ(closest_match("read_timout", keys), "read_timeout");
  EXPECT_EQ(closest_match("colour", keys), "");
  EXPECT_EQ(closest_match("id", std::vector<std::string_view>{"ip"}), "");  // too short to guess
}

TEST(Suggest, HintListsChoicesWhenNothingIsClose) {
  const std::vector<std::string_view> types{"console", "twilio"};
  EXPECT_EQ(suggestion_hint("twillio", types), "did you mean \"twilio\"?");
  EXPECT_EQ(suggestion_hint("vonage", types), "expected one of: console, twilio");
}

}  // namespace
}  // namespace centinela::config
