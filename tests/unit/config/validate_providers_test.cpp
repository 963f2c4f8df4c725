// Provider checks: types, senders, console output, transport settings.
#include <gtest/gtest.h>

#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

const std::map<std::string, std::string> twilio_env{{"SID", "AC1"}, {"TOKEN", "t"}};

TEST(ValidateProviders, AtLeastOneProvider) {
  const LoadResult r = load(with_providers("providers: []\n"));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.path = "providers"}));
}

TEST(ValidateProviders, UnknownTypeGetsASuggestion) {
  const LoadResult r = load(with_providers(
      "providers:\n  - name: p\n    type: twillio\n    senders: [{number: \"+12135550100\"}]\n"));
  EXPECT_TRUE(has_error(r, "providers[0].type", {.line = 19, .hint = "did you mean \"twilio\"?"}));
}

TEST(ValidateProviders, SendersNeedE164AndAPositiveRate) {
  const LoadResult r = load(with_providers("providers:\n"
                                           "  - name: console\n"
                                           "    type: console\n"
                                           "    senders:\n"
                                           "      - {number: \"+12135550100\", messages_per_second: 0}\n"
                                           "      - {number: \"12\", messages_per_second: 1}\n"
                                           "      - {number: \"+12135550100\"}\n"));
  EXPECT_TRUE(has_error(r, "providers[0].senders[0].messages_per_second"));
  EXPECT_TRUE(has_error(r, "providers[0].senders[1].number"));
  EXPECT_TRUE(has_error(r, "providers[0].senders[2].number"));  // duplicate
  EXPECT_EQ(r.errors.size(), 3u) << dump(r);
}

TEST(ValidateProviders, ConsoleOutputDefaultsAndHttpSettingsAreRejected) {
  const LoadResult r = load(with_providers("providers:\n"
                                           "  - name: console\n"
                                           "    type: console\n"
                                           "    base_url: \"https://api.example.org\"\n"
                                           "    senders: [{number: \"+12135550100\"}]\n"));
  EXPECT_TRUE(has_error(r, "providers[0].base_url"));
  EXPECT_EQ(r.errors.size(), 1u) << dump(r);
}

// A Twilio provider whose base_url is the format argument.
const std::string twilio_at_base_url = "providers:\n"
                                       "  - name: twilio\n"
                                       "    type: twilio\n"
                                       "    base_url: \"{}\"\n"
                                       "    credentials: {{account_sid: \"${{SID}}\", auth_token: \"${{TOKEN}}\"}}\n"
                                       "    senders: [{{number: \"+12135550100\"}}]\n";

TEST(ValidateProviders, PlainHttpOnlyOnLoopback) {
  for (const char* ok : {"http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000",
                         "https://api.twilio.com"}) {
    const LoadResult r = load(with_providers(fmt::format(fmt::runtime(twilio_at_base_url), ok)), twilio_env);
    EXPECT_TRUE(r.ok()) << ok << "\n" << dump(r);
  }
  for (const char* bad : {"http://api.twilio.com", "http://127.example.org", "ftp://x"}) {
    const LoadResult r = load(with_providers(fmt::format(fmt::runtime(twilio_at_base_url), bad)), twilio_env);
    EXPECT_TRUE(has_error(r, "providers[0].base_url")) << bad;
  }
}

TEST(ValidateProviders, BaseUrlTakesEnvironmentReferencesAndSaysWhereHttpIsAllowed) {
  auto env = twilio_env;
  env["TWILIO_API"] = "https://api.twilio.example";
  const LoadResult ok = load(with_providers(fmt::format(fmt::runtime(twilio_at_base_url), "${TWILIO_API}")), env);
  ASSERT_TRUE(ok.ok()) << dump(ok);
  EXPECT_EQ(ok.config->providers[0].base_url, "https://api.twilio.example");

  const LoadResult unset = load(with_providers(fmt::format(fmt::runtime(twilio_at_base_url), "${NO_SUCH_VAR}")), twilio_env);
  EXPECT_TRUE(has_error(unset, "providers[0].base_url", {.message_part = "NO_SUCH_VAR"})) << dump(unset);

  const LoadResult ftp = load(with_providers(fmt::format(fmt::runtime(twilio_at_base_url), "ftp://x")), twilio_env);
  ASSERT_FALSE(ftp.ok());
  EXPECT_NE(dump(ftp).find("plain http:// is allowed only for a loopback address"), std::string::npos) << dump(ftp);
}

TEST(ValidateProviders, UnknownCredentialAndDuplicateNames) {
  const LoadResult r = load(with_providers(
      "providers:\n"
      "  - name: console\n    type: console\n    senders: [{number: \"+12135550100\"}]\n"
      "  - name: console\n    type: twilio\n"
      "    credentials: {account_sid: \"${SID}\", auth_token: \"${TOKEN}\", auth_tokn: \"${TOKEN}\"}\n"
      "    senders: [{number: \"+13235550111\"}]\n"),
      twilio_env);
  EXPECT_TRUE(has_error(r, "providers[1].name"));
  EXPECT_TRUE(has_error(r, "providers[1].credentials.auth_tokn",
                        {.hint = "did you mean \"auth_token\"?"}));
}

TEST(ValidateProviders, ConsoleRunsOnlyAloneAndOnLoopback) {
  // Its webhooks are unsigned: beside a real provider, or on a public address, anyone could
  // forge operator commands.
  const LoadResult mixed = load(with_providers(
      "providers:\n"
      "  - name: console\n    type: console\n    senders: [{number: \"+12135550100\"}]\n"
      "  - name: twilio\n    type: twilio\n"
      "    credentials: {account_sid: \"${SID}\", auth_token: \"${TOKEN}\"}\n"
      "    senders: [{number: \"+13235550111\"}]\n"),
      twilio_env);
  EXPECT_TRUE(has_error(mixed, "providers[0].type"));
  const LoadResult exposed = load("server:\n  listen: \"0.0.0.0:8080\"\n" + minimal_yaml());
  EXPECT_TRUE(has_error(exposed, "server.listen"));
  EXPECT_TRUE(load(minimal_yaml()).ok()) << "the default listen address is loopback";
}

}  // namespace
}  // namespace centinela::config::testing
