// render_template, scan_template and template_for's language fallback.
#include <stdexcept>

#include <gtest/gtest.h>

#include "config/template_render.hpp"

namespace centinela::config {
namespace {

TEST(RenderTemplate, ReplacesPlaceholders) {
  EXPECT_EQ(render_template("ALERT {region} {time}: {summary}",
                            {{"region", "East LA"}, {"time", "10:42"}, {"summary", "ICE at 1st St"}}),
            "ALERT East LA 10:42: ICE at 1st St");
  EXPECT_EQ(render_template("{id}/{id}", {{"id", "K7"}}), "K7/K7");
  EXPECT_EQ(render_template("no placeholders", {}), "no placeholders");
}

TEST(RenderTemplate, ValuesAreNotRescanned) {
  // A summary typed by an operator may contain braces; it is text, not a template.
  EXPECT_EQ(render_template("{summary}", {{"summary", "{region} {{x}}"}}), "{region} {{x}}");
}

TEST(RenderTemplate, DoubledBracesAreLiteral) {
  EXPECT_EQ(render_template("{{literal}} {id}", {{"id", "7"}}), "{literal} 7");
}

TEST(RenderTemplate, MissingValueStaysVisible) {
  EXPECT_EQ(render_template("Report {id} in {region}", {{"id", "7"}}), "Report 7 in {region}");
}

TEST(RenderTemplate, MalformedRestIsCopiedThrough) {
  EXPECT_EQ(render_template("a {id} b { c", {{"id", "7"}}), "a 7 b { c");
}

TEST(ScanTemplate, ListsPlaceholdersAndFindsUnbalancedBraces) {
  EXPECT_EQ(scan_template("{a} x {b_2} {a}").placeholders,
            (std::vector<std::string>{"a", "b_2", "a"}));
  EXPECT_TRUE(scan_template("{{ok}}").ok());
  const TemplateScan open = scan_template("Report {id");
  EXPECT_FALSE(open.ok());
  EXPECT_EQ(open.error_offset, 7u);
  EXPECT_FALSE(scan_template("Report id}").ok());
  EXPECT_FALSE(scan_template("{ region }").ok());
  EXPECT_FALSE(scan_template("{Region}").ok());
  EXPECT_FALSE(scan_template("{}").ok());
}

TEST(TemplateFor, FallsBackToTheDefaultLanguage) {
  Config c;
  c.default_language = "en";
  c.templates["en"] = {{"alert", "EN alert"}, {"help", "EN help"}};
  c.templates["es"] = {{"alert", "ES alerta"}};
  EXPECT_EQ(template_for(c, "es", "alert"), "ES alerta");
  EXPECT_EQ(template_for(c, "es", "help"), "EN help");  // es has no help
  EXPECT_EQ(template_for(c, "fr", "alert"), "EN alert");  // no French at all
  EXPECT_THROW(template_for(c, "en", "no_such_key"), std::out_of_range);
}

TEST(AllowedPlaceholders, SplitsTheSpec) {
  const TemplateSpec* alert = find_template_spec("alert");
  ASSERT_NE(alert, nullptr);
  EXPECT_EQ(allowed_placeholders(*alert), (std::vector<std::string_view>{"region", "time", "summary"}));
  EXPECT_TRUE(allowed_placeholders(*find_template_spec("stop_ok")).empty());
}

}  // namespace
}  // namespace centinela::config
