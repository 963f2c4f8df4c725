// Region tree and operator checks, on YAML so the positions are checked too.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

TEST(ValidateRegions, CycleIsReportedOnce) {
  const LoadResult r = load(with_regions("regions:\n"
                                         "  - {id: la, name: LA}\n"
                                         "  - {id: a, name: A, parent: b}\n"
                                         "  - {id: b, name: B, parent: c}\n"
                                         "  - {id: c, name: C, parent: a}\n"));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.path = "regions[1].parent", .line = 5,
                                    .message = "regions form a cycle: a -> b -> c -> a"}));
}

TEST(ValidateRegions, SelfParentAndNoRoot) {
  const LoadResult r = load(with_regions("regions:\n  - {id: la, name: LA, parent: la}\n"));
  EXPECT_TRUE(has_error(r, "regions[0].parent", {.message = "region \"la\" is its own parent"}));
  EXPECT_TRUE(has_error(r, "regions"));  // no top-level region
}

TEST(ValidateRegions, UnknownParentGetsASuggestion) {
  const LoadResult r = load(with_regions("regions:\n"
                                         "  - {id: la, name: LA}\n"
                                         "  - {id: la-north, name: N, parent: la}\n"
                                         "  - {id: x, name: X, parent: la-nort}\n"));
  EXPECT_TRUE(has_error(r, "regions[2].parent", {.hint = "did you mean \"la-north\"?"}));
}

TEST(ValidateRegions, DuplicateIdsKeywordsAndZips) {
  const LoadResult r = load(with_regions("regions:\n"
                                         "  - {id: la, name: LA, keywords: [ELA], zip_codes: [\"90022\"]}\n"
                                         "  - {id: la, name: Again, parent: la}\n"
                                         "  - {id: b, name: B, parent: la, keywords: [ela, STOP], zip_codes: [\"90022\", \"9002\"]}\n"));
  EXPECT_TRUE(has_error(r, "regions[1].id", {.message_part = "first defined at line 4"}));
  EXPECT_TRUE(has_error(r, "regions[2].keywords[0]",
                        {.message = "keyword \"ela\" must be upper case",
                         .hint = "write it as \"ELA\" (members may type it in any case)"}));
  EXPECT_TRUE(has_error(r, "regions[2].keywords[1]"));   // STOP is a command
  EXPECT_TRUE(has_error(r, "regions[2].zip_codes[0]"));  // duplicate
  EXPECT_TRUE(has_error(r, "regions[2].zip_codes[1]"));  // 4 digits
  // ela: upper-case error, then also a duplicate of ELA in region 0.
  EXPECT_EQ(r.errors.size(), 6u) << dump(r);
}

TEST(ValidateOperators, PhoneRegionsAndTokenHash) {
  std::string yaml = minimal_yaml();
  yaml.replace(yaml.find("\"+12135550123\""), 14, "\"213-555-0123\"");
  yaml.replace(yaml.find("regions: [la]"), 13, "regions: [la-est]");
  yaml.replace(yaml.find(operator_hash), operator_hash.size(), "sha256:ABC");
  const LoadResult r = load(yaml);
  EXPECT_TRUE(has_error(r, "operators[0].phone"));
  EXPECT_EQ(dump(r).find("213-555-0123"), std::string::npos) << "phone numbers are never echoed";
  EXPECT_TRUE(has_error(r, "operators[0].regions[0]", {.hint = "did you mean \"la-east\"?"}));
  EXPECT_TRUE(has_error(r, "operators[0].api_token_hash"));
}

TEST(ValidateOperators, ConfirmationsMustBeReachable) {
  const LoadResult r = load("verification:\n  confirmations_required: 2\n" + minimal_yaml());
  // One operator covers "la" (and so "la-east"): two confirmations can never be collected.
  EXPECT_TRUE(has_error(r, "regions[0]"));
  EXPECT_TRUE(has_error(r, "regions[1]"));
}

TEST(Validate, ConfigBuiltInCodeHasPathsButNoPositions) {
  const LoadResult loaded = load(minimal_yaml());
  ASSERT_TRUE(loaded.ok()) << dump(loaded);
  Config c = *loaded.config;
  c.regions.at(1).parent = "nowhere";
  const ValidationReport report = validate(c);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_TRUE(matches(report.errors[0], {.path = "regions[1].parent", .line = 0}));
  EXPECT_EQ(format_problem(report.errors[0]),
            "test.yaml: error: regions[1].parent: unknown region \"nowhere\" "
            "(hint: expected one of: la, la-east)");
}

TEST(Validate, TokenHashFormat) {
  EXPECT_TRUE(is_token_hash("sha256:" + std::string(64, 'f')));
  EXPECT_FALSE(is_token_hash("sha256:" + std::string(64, 'F')));
  EXPECT_FALSE(is_token_hash("sha256:" + std::string(63, 'f')));
  EXPECT_FALSE(is_token_hash(std::string(64, 'f')));
}

}  // namespace
}  // namespace centinela::config::testing
