// load_config: positions of problems, every problem at once, syntax errors, the example file.
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

TEST(ConfigLoader, MinimalConfigLoadsWithDefaults) {
  const LoadResult r = load(minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_TRUE(r.config.has_value());
  EXPECT_EQ(r.config->source_path, "test.yaml");
  EXPECT_EQ(r.config->server.listen, "127.0.0.1:8080");  // untouched default
  EXPECT_EQ(r.config->alerts.expiry, std::chrono::hours{2});
  EXPECT_EQ(r.config->providers.at(0).output_file, "var/console-outbox.jsonl");
  EXPECT_EQ(r.config->regions.at(1).zip_codes.at(0), "90022");
  EXPECT_TRUE(r.warnings.empty()) << dump(r);
}

TEST(ConfigLoader, UnknownKeyHasLineColumnAndSuggestion) {
  const LoadResult r = load("server:\n  lisen: \"127.0.0.1:9000\"\n" + minimal_yaml());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.path = "server.lisen", .line = 2, .column = 3,
                                    .hint = "did you mean \"listen\"?"}));
  EXPECT_FALSE(r.config.has_value());
  EXPECT_EQ(format_problem(r.errors[0]),
            "test.yaml:2:3: error: server.lisen: unknown key \"lisen\" in server "
            "(hint: did you mean \"listen\"?)");
}

TEST(ConfigLoader, UnknownKeysAreRejectedAtEveryLevel) {
  std::string yaml = insert_before(minimal_yaml(), "    name: Los Angeles\n", "    nmae: oops\n");
  yaml = insert_before(yaml, "        messages_per_second", "        rate: 3\n");
  const LoadResult r = load("colour: blue\n" + yaml);
  EXPECT_TRUE(has_error(r, "colour", {.line = 1}));
  EXPECT_TRUE(has_error(r, "regions[0].nmae", {.hint = "did you mean \"name\"?"}));
  EXPECT_TRUE(has_error(r, "providers[0].senders[0].rate"));
  EXPECT_EQ(r.errors.size(), 3u) << dump(r);
}

TEST(ConfigLoader, TypeErrorPointsAtTheValue) {
  const LoadResult r = load("database:\n  pool_threads: many\n" + minimal_yaml());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0],
                      {.line = 2, .column = 17, .message = "expected an integer, found \"many\""}));
}

TEST(ConfigLoader, ListWhereAStringBelongs) {
  const LoadResult r = load("default_language: [en, es]\n" + minimal_yaml());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0],
                      {.path = "default_language", .message = "expected a string, found a list"}));
}

TEST(ConfigLoader, BrokenSyntaxReportsItsPosition) {
  const LoadResult r = load("server:\n  listen: [1, 2\nregions: []\n");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  // yaml-cpp notices the unclosed "[" where the next line fails to continue it.
  EXPECT_TRUE(matches(r.errors[0], {.line = 3, .message_part = "invalid YAML"}));
  EXPECT_GT(r.errors[0].column, 0);
}

TEST(ConfigLoader, BadIndentationIsASyntaxError) {
  const LoadResult r = load("server:\n  listen: x\n    oops: y\n");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].line, 3);
}

TEST(ConfigLoader, ReportsEveryProblemAtOnceInDocumentOrder) {
  const std::string yaml = "server:\n"
                           "  max_body_bytes: -1\n"         // line 2: not a size
                           "  read_timeout: soon\n"         // line 3: not a duration
                           "alerts:\n"
                           "  expiry: 0\n"                  // line 5: must be > 0
                           "verification:\n"
                           "  confirmations_required: 0\n"  // line 7: must be >= 1
                           + minimal_yaml();
  const LoadResult r = load(yaml);
  ASSERT_EQ(r.errors.size(), 4u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.line = 2}));
  EXPECT_TRUE(matches(r.errors[1], {.line = 3}));
  EXPECT_TRUE(matches(r.errors[2], {.path = "alerts.expiry", .line = 5}));
  EXPECT_TRUE(matches(r.errors[3], {.path = "verification.confirmations_required", .line = 7}));
}

TEST(ConfigLoader, DuplicateKeyIsAnError) {
  const LoadResult r = load("default_language: en\ndefault_language: es\n" + minimal_yaml());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.line = 2, .message_part = "first given on line 1"}));
}

TEST(ConfigLoader, MissingRequiredSectionsAreAllReported) {
  const LoadResult r = load("server:\n  listen: \"127.0.0.1:0\"\n");
  for (const char* path : {"regions", "operators", "providers", "intake_token_hash",
                           "organization_contact", "default_language"})
    EXPECT_TRUE(has_error(r, path));
}

TEST(ConfigLoader, EmptyAndNonMappingDocuments) {
  EXPECT_EQ(load("").errors.size(), 1u);
  const LoadResult list = load("- a\n- b\n");
  ASSERT_EQ(list.errors.size(), 1u);
  EXPECT_EQ(list.errors[0].line, 1);
}

TEST(ConfigLoader, DurationsInEveryForm) {
  const LoadResult r = load("server:\n  read_timeout: 500ms\n  write_timeout: 90\n"
                            "  shutdown_grace: 1m30s\nalerts:\n  expiry: 15m\n" + minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->server.read_timeout, std::chrono::milliseconds{500});
  EXPECT_EQ(r.config->server.write_timeout, std::chrono::seconds{90});
  EXPECT_EQ(r.config->server.shutdown_grace, std::chrono::seconds{90});
  EXPECT_EQ(r.config->alerts.expiry, std::chrono::minutes{15});
}

TEST(ConfigLoader, ExpiryNeedsWholeSeconds) {
  const LoadResult r = load("alerts:\n  expiry: 1500ms\n" + minimal_yaml());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].path, "alerts.expiry");
}

TEST(ConfigLoader, ParseErrorIsNotEchoedByValidation) {
  // `name` is unreadable, so validation's "name is required" would only repeat it.
  const LoadResult r = load(replace_between(minimal_yaml(), "    name: Los Angeles\n", "    keywords:",
                                            "    name: {first: Los}\n"));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].message, "expected a string, found a mapping");
}

TEST(ConfigLoader, MissingFileIsOneError) {
  const LoadResult r = load_config("/nonexistent/centinela.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 0);
  EXPECT_NE(format_problem(r.errors[0]).find("/nonexistent/centinela.yaml: error: cannot read"),
            std::string::npos);
}

TEST(ConfigLoader, ExampleYamlLoadsCleanly) {
  const std::string path = std::string{CENTINELA_SOURCE_DIR} + "/config/example.yaml";
  // The example needs no secrets; variables a twilio block would use are set anyway so that
  // uncommenting it in a local copy behaves the same.
  const LoadResult r = load_config(path, testing::env_from({{"TWILIO_ACCOUNT_SID", "ACtest"},
                                                            {"TWILIO_AUTH_TOKEN", "tok"}}));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.warnings.empty()) << dump(r);
  const Config& c = *r.config;
  EXPECT_EQ(c.regions.size(), 4u);
  EXPECT_EQ(c.templates.size(), 2u);
  EXPECT_EQ(c.default_language, "en");
  EXPECT_EQ(c.time_zone, "America/Los_Angeles");
  EXPECT_EQ(c.regions.at(3).time_zone, "America/Los_Angeles") << "the documented region override";
  EXPECT_EQ(c.providers.at(0).type, "console");
  EXPECT_NE(c.templates.at("es").at("alert").find("orden firmada por un juez"), std::string::npos);
  EXPECT_NE(c.templates.at("en").at("alert").find("warrant signed by a judge"), std::string::npos);
  // The quick start confirms as the first operator with the dev token: it stays first.
  ASSERT_GE(c.operators.size(), 3u);
  EXPECT_EQ(c.operators[0].name, "Dev Operator");
  EXPECT_EQ(c.operators[0].phone, "+12135550123");
  EXPECT_EQ(c.operators[0].role, OperatorRole::responder);
  EXPECT_EQ(c.operators[1].role, OperatorRole::backup);
  EXPECT_FALSE(c.operators[1].schedule.empty());
  EXPECT_EQ(c.operators[2].role, OperatorRole::coordinator);
  EXPECT_EQ(c.observers.size(), 1u);
  EXPECT_TRUE(c.verification.required_evidence.empty()) << "the quick start's YES needs no checklist";
  for (const auto& spec : template_specs)  // both languages complete: the warnings check says so too
    for (const char* language : {"en", "es"})
      EXPECT_TRUE(c.templates.at(language).contains(std::string{spec.key})) << language << " " << spec.key;
  EXPECT_NE(c.templates.at("en").at("operator_new_report").find("CLAIM {id}"), std::string::npos);
}

TEST(ConfigLoader, LoadsFromAFile) {
  const std::string path = ::testing::TempDir() + "centinela-config-test.yaml";
  {
    std::ofstream out(path);
    out << "server:\n  listn: x\n" << minimal_yaml();
  }
  const LoadResult r = load_config(path, testing::env_from({}));
  std::remove(path.c_str());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].file, path);
  EXPECT_EQ(r.errors[0].line, 2);
}

}  // namespace
}  // namespace centinela::config::testing
