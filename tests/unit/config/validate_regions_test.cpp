// Region tree and operator checks, on YAML so the positions are checked too.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config {
namespace {

using testing::dump;
using testing::error_at;
using testing::load;
using testing::minimal_yaml;

// The fixture with its regions section replaced by `regions` (operators cover "la").
std::string with_regions(std::string_view regions) {
  std::string yaml = minimal_yaml();
  const auto begin = yaml.find("regions:\n");
  const auto end = yaml.find("operators:\n");
  return yaml.replace(begin, end - begin, regions);
}

TEST(ValidateRegions, CycleIsReportedOnce) {
  const LoadResult r = load(with_regions("regions:\n"
                                         "  - {id: la, name: LA}\n"
                                         "  - {id: a, name: A, parent: b}\n"
                                         "  - {id: b, name: B, parent: c}\n"
                                         "  - {id: c, name: C, parent: a}\n"));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].path, "regions[1].parent");
  EXPECT_EQ(r.errors[0].message, "regions form a cycle: a -> b -> c -> a");
  EXPECT_EQ(r.errors[0].line, 5);
}

TEST(ValidateRegions, SelfParentAndNoRoot) {
  const LoadResult r = load(with_regions("regions:\n  - {id: la, name: LA, parent: la}\n"));
  EXPECT_NE(error_at(r, "regions[0].parent"), nullptr) << dump(r);
  EXPECT_EQ(error_at(r, "regions[0].parent")->message, "region \"la\" is its own parent");
  EXPECT_NE(error_at(r, "regions"), nullptr) << dump(r);  // no top-level region
}

TEST(ValidateRegions, UnknownParentGetsASuggestion) {
  const LoadResult r = load(with_regions("regions:\n"
                                         "  - {id: la, name: LA}\n"
                                         "  - {id: la-north, name: N, parent: la}\n"
                                         "  - {id: x, name: X, parent: la-nort}\n"));
  const ConfigProblem* p = error_at(r, "regions[2].parent");
  ASSERT_NE(p, nullptr) << dump(r);
  EXPECT_EQ(p->hint, "did you mean \"la-north\"?");
}

TEST(ValidateRegions, DuplicateIdsKeywordsAndZips) {
  const LoadResult r = load(with_regions("regions:\n"
                                         "  - {id: la, name: LA, keywords: [ELA], zip_codes: [\"90022\"]}\n"
                                         "  - {id: la, name: Again, parent: la}\n"
                                         "  - {id: b, name: B, parent: la, keywords: [ela, STOP], zip_codes: [\"90022\", \"9002\"]}\n"));
  EXPECT_NE(error_at(r, "regions[1].id"), nullptr) << dump(r);
  EXPECT_NE(error_at(r, "regions[1].id")->message.find("first defined at line 4"), std::string::npos);
  const ConfigProblem* lower = error_at(r, "regions[2].keywords[0]");
  ASSERT_NE(lower, nullptr) << dump(r);
  EXPECT_EQ(lower->message, "keyword \"ela\" must be upper case");
  EXPECT_EQ(lower->hint, "write it as \"ELA\" (members may type it in any case)");
  EXPECT_NE(error_at(r, "regions[2].keywords[1]"), nullptr) << dump(r);  // STOP is a command
  EXPECT_NE(error_at(r, "regions[2].zip_codes[0]"), nullptr) << dump(r);  // duplicate
  EXPECT_NE(error_at(r, "regions[2].zip_codes[1]"), nullptr) << dump(r);  // 4 digits
  // ela: upper-case error, then also a duplicate of ELA in region 0.
  EXPECT_EQ(r.errors.size(), 6u) << dump(r);
}

TEST(ValidateOperators, PhoneRegionsAndTokenHash) {
  std::string yaml = minimal_yaml();
  yaml.replace(yaml.find("\"+12135550123\""), 14, "\"213-555-0123\"");
  yaml.replace(yaml.find("regions: [la]"), 13, "regions: [la-est]");
  yaml.replace(yaml.find(testing::operator_hash), testing::operator_hash.size(), "sha256:ABC");
  const LoadResult r = load(yaml);
  EXPECT_NE(error_at(r, "operators[0].phone"), nullptr) << dump(r);
  EXPECT_EQ(dump(r).find("213-555-0123"), std::string::npos) << "phone numbers are never echoed";
  ASSERT_NE(error_at(r, "operators[0].regions[0]"), nullptr) << dump(r);
  EXPECT_EQ(error_at(r, "operators[0].regions[0]")->hint, "did you mean \"la-east\"?");
  EXPECT_NE(error_at(r, "operators[0].api_token_hash"), nullptr) << dump(r);
}

TEST(ValidateOperators, ConfirmationsMustBeReachable) {
  const LoadResult r = load("verification:\n  confirmations_required: 2\n" + minimal_yaml());
  // One operator covers "la" (and so "la-east"): two confirmations can never be collected.
  EXPECT_NE(error_at(r, "regions[0]"), nullptr) << dump(r);
  EXPECT_NE(error_at(r, "regions[1]"), nullptr) << dump(r);
}

TEST(Validate, ConfigBuiltInCodeHasPathsButNoPositions) {
  const LoadResult loaded = load(minimal_yaml());
  ASSERT_TRUE(loaded.ok()) << dump(loaded);
  Config c = *loaded.config;
  c.regions.at(1).parent = "nowhere";
  const ValidationReport report = validate(c);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].path, "regions[1].parent");
  EXPECT_EQ(report.errors[0].line, 0);
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
}  // namespace centinela::config
