// Template checks: completeness of the default language, keys, placeholders, braces, and the
// fallback warning for other languages.
#include <gtest/gtest.h>

#include "config_fixture.hpp"

namespace centinela::config {
namespace {

using testing::dump;
using testing::error_at;
using testing::load;
using testing::minimal_yaml;

TEST(ValidateTemplates, UnknownPlaceholderIsAnErrorWithTheAllowedList) {
  const LoadResult r = load(minimal_yaml() + "  es:\n    join_ok: \"Bienvenido a {regoin}\"\n");
  const ConfigProblem* p = error_at(r, "templates.es.join_ok");
  ASSERT_NE(p, nullptr) << dump(r);
  EXPECT_EQ(p->message, "unknown placeholder {regoin}");
  EXPECT_EQ(p->hint, "did you mean {region}? \"join_ok\" may use: {region}");
  EXPECT_GT(p->line, 0);
  EXPECT_EQ(p->column, 14);
}

TEST(ValidateTemplates, PlaceholderNotAllowedForThatKey) {
  // {summary} belongs to "alert"; stop_ok takes none.
  const LoadResult r = load(minimal_yaml() + "  es:\n    stop_ok: \"Adiós {summary}\"\n");
  const ConfigProblem* p = error_at(r, "templates.es.stop_ok");
  ASSERT_NE(p, nullptr) << dump(r);
  EXPECT_EQ(p->hint, "\"stop_ok\" may use: none");
}

TEST(ValidateTemplates, UnbalancedBraces) {
  const LoadResult r = load(minimal_yaml() + "  es:\n    operator_rejected: \"Reporte {id rechazado\"\n");
  const ConfigProblem* p = error_at(r, "templates.es.operator_rejected");
  ASSERT_NE(p, nullptr) << dump(r);
  EXPECT_NE(p->message.find("unbalanced \"{\""), std::string::npos);
  EXPECT_NE(p->message.find("at character 9"), std::string::npos);
}

TEST(ValidateTemplates, UnknownKeyGetsASuggestion) {
  const LoadResult r = load(minimal_yaml() + "    join_okay: \"hi\"\n");
  const ConfigProblem* p = error_at(r, "templates.en.join_okay");
  ASSERT_NE(p, nullptr) << dump(r);
  EXPECT_EQ(p->hint, "did you mean \"join_ok\"?");
}

TEST(ValidateTemplates, MissingKeyInOtherLanguageIsOnlyAWarning) {
  const LoadResult r = load(minimal_yaml() + "  es:\n    alert: \"ALERTA {region} {time}: {summary}\"\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.warnings.size(), template_specs.size() - 1) << dump(r);
  EXPECT_EQ(r.warnings[0].severity, Severity::warning);
  EXPECT_EQ(r.warnings[0].path, "templates.es");
  EXPECT_NE(format_problem(r.warnings[0]).find(": warning: templates.es: no \""), std::string::npos);
  EXPECT_EQ(template_for(*r.config, "es", "help"), r.config->templates.at("en").at("help"));
}

TEST(ValidateTemplates, MissingKeyInDefaultLanguageIsAnError) {
  std::string yaml = minimal_yaml();
  const auto help = yaml.find("    help:");
  yaml.erase(help, yaml.find('\n', help) + 1 - help);
  const LoadResult r = load(yaml);
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].message, "default language \"en\" has no \"help\" template");
}

TEST(ValidateTemplates, DefaultLanguageMustHaveTemplates) {
  const LoadResult r = load("default_language: fr\n" + minimal_yaml());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_EQ(r.errors[0].hint, "expected one of: en");
}

}  // namespace
}  // namespace centinela::config
