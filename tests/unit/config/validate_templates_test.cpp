// Template checks: completeness of the default language, keys, placeholders, braces, and the
// fallback warning for other languages.
#include <gtest/gtest.h>

#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

TEST(ValidateTemplates, UnknownPlaceholderIsAnErrorWithTheAllowedList) {
  const LoadResult r = load(minimal_yaml() + "  es:\n    join_ok: \"Bienvenido a {regoin}\"\n");
  const ConfigProblem& p = error_at(r, "templates.es.join_ok");
  EXPECT_TRUE(matches(p, {.column = 14, .message = "unknown placeholder {regoin}",
                          .hint = "did you mean {region}? \"join_ok\" may use: {region}"}));
  EXPECT_GT(p.line, 0);
}

TEST(ValidateTemplates, PlaceholderNotAllowedForThatKey) {
  // {summary} belongs to "alert"; stop_ok takes none.
  const LoadResult r = load(minimal_yaml() + "  es:\n    stop_ok: \"Adiós {summary}\"\n");
  EXPECT_TRUE(has_error(r, "templates.es.stop_ok", {.hint = "\"stop_ok\" may use: none"}));
}

TEST(ValidateTemplates, UnbalancedBraces) {
  const LoadResult r = load(minimal_yaml() + "  es:\n    operator_rejected: \"Reporte {id rechazado\"\n");
  const ConfigProblem& p = error_at(r, "templates.es.operator_rejected");
  EXPECT_TRUE(matches(p, {.message_part = "unbalanced \"{\""}));
  EXPECT_TRUE(matches(p, {.message_part = "at character 9"}));
}

TEST(ValidateTemplates, UnknownKeyGetsASuggestion) {
  const LoadResult r = load(minimal_yaml() + "    join_okay: \"hi\"\n");
  EXPECT_TRUE(has_error(r, "templates.en.join_okay", {.hint = "did you mean \"join_ok\"?"}));
}

TEST(ValidateTemplates, MissingKeyInOtherLanguageIsOnlyAWarning) {
  const LoadResult r = load(minimal_yaml() + "  es:\n    alert: \"ALERTA {region} {time}: {summary}\"\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.warnings.size(), template_specs.size() - 1) << dump(r);
  EXPECT_EQ(r.warnings[0].severity, Severity::warning);
  EXPECT_TRUE(matches(r.warnings[0], {.path = "templates.es"}));
  EXPECT_NE(format_problem(r.warnings[0]).find(": warning: templates.es: no \""), std::string::npos);
  EXPECT_EQ(template_for(*r.config, "es", "help"), r.config->templates.at("en").at("help"));
}

TEST(ValidateTemplates, MissingKeyInDefaultLanguageIsAnError) {
  std::string yaml = minimal_yaml();
  const auto help = yaml.find("    help:");
  yaml.erase(help, yaml.find('\n', help) + 1 - help);
  const LoadResult r = load(yaml);
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.message = "default language \"en\" has no \"help\" template"}));
}

TEST(ValidateTemplates, DefaultLanguageMustHaveTemplates) {
  const LoadResult r = load("default_language: fr\n" + minimal_yaml());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.line = 1, .hint = "expected one of: en"}));
}

}  // namespace
}  // namespace centinela::config::testing
