// The members: and languages: sections, on YAML so the positions of problems are checked too.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config {
namespace {

using testing::dump;
using testing::error_at;
using testing::load;
using testing::minimal_yaml;

TEST(ValidateMembers, DefaultsWithoutTheSections) {
  const LoadResult r = load(minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->members.join_confirmation_window, std::chrono::hours{24});
  EXPECT_TRUE(r.config->languages.empty()) << "empty: the built-in keywords apply";
}

TEST(ValidateMembers, SectionsAreRead) {
  const LoadResult r = load("members:\n"
                            "  join_confirmation_window: \"2h\"\n"
                            "  opt_out_words: [\"ARRÊT\", \"no more alerts please\"]\n"
                            "languages:\n"
                            "  en:\n"
                            "    keywords: [ENGLISH, INGLÉS]\n" +
                            minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->members.join_confirmation_window, std::chrono::hours{2});
  EXPECT_EQ(r.config->members.opt_out_words.size(), 2u);
  EXPECT_EQ(r.config->languages.at("en").keywords, (std::vector<std::string>{"ENGLISH", "INGLÉS"}));
}

TEST(ValidateMembers, UnknownKeysHaveLineAndColumn) {
  const LoadResult r = load("members:\n"
                            "  join_confirmation_windw: \"2h\"\n"
                            "languages:\n"
                            "  en:\n"
                            "    keyword: [ENGLISH]\n" +
                            minimal_yaml());
  const ConfigProblem* window = error_at(r, "members.join_confirmation_windw");
  ASSERT_NE(window, nullptr) << dump(r);
  EXPECT_EQ(window->line, 2);
  EXPECT_EQ(window->column, 3);
  EXPECT_EQ(window->hint, "did you mean \"join_confirmation_window\"?");
  const ConfigProblem* keyword = error_at(r, "languages.en.keyword");
  ASSERT_NE(keyword, nullptr) << dump(r);
  EXPECT_EQ(keyword->line, 5);
  EXPECT_EQ(keyword->column, 5);
}

TEST(ValidateMembers, LanguageKeywordProblems) {
  const LoadResult r = load("languages:\n"
                            "  en:\n"
                            "    keywords: [ENGLISH, \"two words\", JOIN, EASTLA]\n"
                            "  fr:\n"
                            "    keywords: [ENGLISH]\n" +
                            minimal_yaml());
  EXPECT_NE(error_at(r, "languages.en.keywords[1]"), nullptr) << dump(r);
  EXPECT_NE(error_at(r, "languages.en.keywords[2]"), nullptr) << "a command word";
  const ConfigProblem* region = error_at(r, "languages.en.keywords[3]");
  ASSERT_NE(region, nullptr) << dump(r);
  EXPECT_EQ(region->message, "\"EASTLA\" is also a keyword of region \"la-east\"");
  const ConfigProblem* fr = error_at(r, "languages.fr");
  ASSERT_NE(fr, nullptr) << dump(r);
  EXPECT_EQ(fr->message, "no templates for language \"fr\"");
  EXPECT_EQ(fr->line, 5);
  const ConfigProblem* twice = error_at(r, "languages.fr.keywords[0]");
  ASSERT_NE(twice, nullptr) << dump(r);
  EXPECT_EQ(twice->message, "\"ENGLISH\" already picks languages.en");
}

TEST(ValidateMembers, WindowAndOptOutWords) {
  const LoadResult r = load("members:\n"
                            "  join_confirmation_window: 0\n"
                            "  opt_out_words: [\"\", START]\n" +
                            minimal_yaml());
  EXPECT_NE(error_at(r, "members.join_confirmation_window"), nullptr) << dump(r);
  EXPECT_NE(error_at(r, "members.opt_out_words[0]"), nullptr) << dump(r);
  EXPECT_NE(error_at(r, "members.opt_out_words[1]"), nullptr) << dump(r);
}

}  // namespace
}  // namespace centinela::config
