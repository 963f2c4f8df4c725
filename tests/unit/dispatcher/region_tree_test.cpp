#include <gtest/gtest.h>

#include "dispatcher/core/region_tree.hpp"
#include "dispatcher/intake/region_guess.hpp"
#include "tests/support/test_config.hpp"

namespace centinela {
namespace {

class Regions : public ::testing::Test {
 protected:
  config::Config cfg_ = testing::test_config();
  RegionTree tree_{cfg_.regions};
};

TEST_F(Regions, AudienceIsTheRegionItsAncestorsAndDescendants) {
  EXPECT_EQ(tree_.alert_audience("la-east"), (std::vector<std::string>{"la-east", "la"}));
  EXPECT_EQ(tree_.alert_audience("la"), (std::vector<std::string>{"la", "la-east", "la-south"}));
  EXPECT_EQ(tree_.alert_audience("sd"), (std::vector<std::string>{"sd"}));
}

TEST_F(Regions, CoverageFollowsTheTree) {
  EXPECT_TRUE(tree_.covers({"la"}, "la-east"));
  EXPECT_FALSE(tree_.covers({"la-east"}, "la"));
  EXPECT_FALSE(tree_.covers({"la-south"}, "la-east"));
  EXPECT_TRUE(tree_.covers_unknown({"sd"}));
  EXPECT_FALSE(tree_.covers_unknown({"la-east"}));
  EXPECT_TRUE(tree_.covers_report({"sd"}, "")) << "an unknown region belongs to the top of the tree";
  EXPECT_FALSE(tree_.covers_report({"la-east"}, ""));
  EXPECT_TRUE(tree_.covers_report({"la"}, "la-east"));
  EXPECT_FALSE(tree_.covers_report({"la-east"}, "la"));
}

TEST_F(Regions, GuessFromKeywordZipOrTheSendersOnlyRegion) {
  EXPECT_EQ(intake::guess_region("vans near SouthLA park", tree_, {}), "la-south");
  EXPECT_EQ(intake::guess_region("agents at 90022-4410", tree_, {}), "la-east");
  EXPECT_EQ(intake::guess_region("agents at 900221", tree_, {}), "");
  EXPECT_EQ(intake::guess_region("on my street", tree_, {"sd"}), "sd");
  EXPECT_EQ(intake::guess_region("on my street", tree_, {"sd", "la"}), "") << "two regions: ambiguous";
  EXPECT_EQ(tree_.keyword_list(), "LACOUNTY, EASTLA, SOUTHLA, SANDIEGO");
}

}  // namespace
}  // namespace centinela
