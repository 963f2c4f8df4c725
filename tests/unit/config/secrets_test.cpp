// Secrets enter only through ${ENV_VAR}: literals refused, unset variables named, values never
// printed; database.url interpolation.
#include <gtest/gtest.h>

#include "config/env_refs.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

// A twilio provider as the fixture's only provider (a console provider may not run beside a real
// one).
std::string with_twilio(std::string_view sid, std::string_view token) {
  const std::string twilio = fmt::format(
      "providers:\n"
      "  - name: twilio\n"
      "    type: twilio\n"
      "    credentials:\n"
      "      account_sid: \"{}\"\n"
      "      auth_token: \"{}\"\n"
      "    senders:\n"
      "      - number: \"+13235550111\"\n"
      "        messages_per_second: 1\n",
      sid, token);
  return with_providers(twilio);
}

TEST(ConfigSecrets, ResolvedFromTheEnvironment) {
  const LoadResult r = load(with_twilio("${TW_SID}", "${TW_TOKEN}"),
                            {{"TW_SID", "AC123"}, {"TW_TOKEN", "s3cret-token"}});
  ASSERT_TRUE(r.ok()) << dump(r);
  const Provider& p = r.config->providers.at(0);
  EXPECT_EQ(p.credentials.at("account_sid"), "AC123");
  EXPECT_EQ(p.credentials.at("auth_token"), "s3cret-token");
}

TEST(ConfigSecrets, LiteralSecretIsRejectedWithoutEchoingIt) {
  const LoadResult r = load(with_twilio("${TW_SID}", "0123456789abcdef-literal"),
                            {{"TW_SID", "AC123"}});
  const ConfigProblem& p = error_at(r, "providers[0].credentials.auth_token");
  EXPECT_TRUE(matches(p, {.message_part = "not a literal value",
                          .hint = "write auth_token: \"${TWILIO_AUTH_TOKEN}\" and set "
                                  "TWILIO_AUTH_TOKEN in the environment"}));
  EXPECT_GT(p.line, 0);
  EXPECT_EQ(dump(r).find("0123456789abcdef-literal"), std::string::npos) << dump(r);
  EXPECT_EQ(r.errors.size(), 1u) << dump(r);  // not also "twilio needs auth_token"
}

TEST(ConfigSecrets, UnsetVariableIsNamedAndValuesNeverPrinted) {
  const LoadResult r = load(with_twilio("${TW_SID}", "${TW_TOKEN}"), {{"TW_SID", "AC-value-xyz"}});
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  // Line 22 is the auth_token line of with_twilio's block.
  EXPECT_TRUE(matches(r.errors[0], {.line = 22, .column = 19,
                                    .message = "environment variable TW_TOKEN is not set"}));
  EXPECT_EQ(dump(r).find("AC-value-xyz"), std::string::npos);
}

TEST(ConfigSecrets, EmptyVariableIsAnError) {
  const LoadResult r = load(with_twilio("${TW_SID}", "${TW_TOKEN}"),
                            {{"TW_SID", "AC1"}, {"TW_TOKEN", ""}});
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.message = "environment variable TW_TOKEN is set but empty"}));
}

TEST(ConfigSecrets, ReferenceMustBeTheWholeValue) {
  const LoadResult r = load(with_twilio("${TW_SID}", "Bearer ${TW_TOKEN}"),
                            {{"TW_SID", "AC1"}, {"TW_TOKEN", "t"}});
  EXPECT_TRUE(has_error(r, "providers[0].credentials.auth_token"));
}

TEST(ConfigSecrets, TwilioWithoutCredentialsIsAnError) {
  const LoadResult r = load(with_providers(
      "providers:\n"
      "  - name: twilio\n    type: twilio\n    senders:\n"
      "      - number: \"+13235550111\"\n        messages_per_second: 1\n"));
  EXPECT_TRUE(has_error(r, "providers[0].credentials.account_sid"));
  EXPECT_TRUE(has_error(r, "providers[0].credentials.auth_token"));
}

TEST(ConfigSecrets, DatabaseUrlIsInterpolated) {
  const LoadResult r =
      load("database:\n  url: \"host=/tmp/pg user=c password=${DB_PASS} dbname=c\"\n" +
               minimal_yaml(),
           {{"DB_PASS", "pw"}});
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->database.url, "host=/tmp/pg user=c password=pw dbname=c");
}

TEST(ConfigSecrets, DatabaseUrlWithUnsetVariable) {
  const LoadResult r = load("database:\n  url: \"${DB_URL}\"\n" + minimal_yaml());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.line = 2, .message = "environment variable DB_URL is not set"}));
}

TEST(EnvRefs, WholeReference) {
  EXPECT_EQ(whole_env_reference("${A_1}"), "A_1");
  EXPECT_FALSE(whole_env_reference("${1A}"));
  EXPECT_FALSE(whole_env_reference("$A"));
  EXPECT_FALSE(whole_env_reference("${}"));
  EXPECT_FALSE(whole_env_reference("x${A}"));
}

TEST(EnvRefs, InterpolationKeepsLoneDollarsAndReportsSyntax) {
  const auto env = env_from({{"A", "1"}});
  EXPECT_EQ(interpolate_env("a$b${A}c", env).text, "a$b1c");
  EXPECT_FALSE(interpolate_env("x${A", env).syntax_error.empty());
  EXPECT_FALSE(interpolate_env("x${A-B}", env).syntax_error.empty());
  EXPECT_EQ(interpolate_env("${A}${B}${C}", env).unset, (std::vector<std::string>{"B", "C"}));
}

}  // namespace
}  // namespace centinela::config::testing
