// The members: and languages: sections, on YAML so the positions of problems are checked too.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

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
  EXPECT_TRUE(has_error(r, "members.join_confirmation_windw",
                        {.line = 2, .column = 3, .hint = "did you mean \"join_confirmation_window\"?"}));
  EXPECT_TRUE(has_error(r, "languages.en.keyword", {.line = 5, .column = 5}));
}

TEST(ValidateMembers, LanguageKeywordProblems) {
  const LoadResult r = load("languages:\n"
                            "  en:\n"
                            "    keywords: [ENGLISH, \"two words\", JOIN, EASTLA]\n"
                            "  fr:\n"
                            "    keywords: [ENGLISH]\n" +
                            minimal_yaml());
  EXPECT_TRUE(has_error(r, "languages.en.keywords[1]"));
  EXPECT_TRUE(has_error(r, "languages.en.keywords[2]")) << "a command word";
  EXPECT_TRUE(has_error(r, "languages.en.keywords[3]",
                        {.message = "\"EASTLA\" is also a keyword of region \"la-east\""}));
  EXPECT_TRUE(has_error(r, "languages.fr", {.line = 5, .message = "no templates for language \"fr\""}));
  EXPECT_TRUE(has_error(r, "languages.fr.keywords[0]",
                        {.message = "\"ENGLISH\" already picks languages.en"}));
}

TEST(ValidateMembers, WindowAndOptOutWords) {
  const LoadResult r = load("members:\n"
                            "  join_confirmation_window: 0\n"
                            "  opt_out_words: [\"\", START]\n" +
                            minimal_yaml());
  for (const char* path :
       {"members.join_confirmation_window", "members.opt_out_words[0]", "members.opt_out_words[1]"})
    EXPECT_TRUE(has_error(r, path));
}

}  // namespace
}  // namespace centinela::config::testing
