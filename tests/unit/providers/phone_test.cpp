// Masking and parsing of phone numbers (providers/common/phone.cpp).
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "providers/common/phone.hpp"

namespace centinela {
namespace {

TEST(MaskPhone, KeepsCountryDigitAndLastFour) {
  EXPECT_EQ(mask_phone("+15551234567"), "+1******4567");
  EXPECT_EQ(mask_phone("+525512345678"), "+5*******5678");
  EXPECT_EQ(mask_phone("+4930123"), "+4**0123");  // shortest accepted: 7 digits
}

TEST(MaskPhone, NeverEchoesWhatIsNotE164) {
  for (const std::string bad : {"", "+", "+123456", "15551234567", "+1555abc4567", "+1234567890123456",
                                "whatsapp:+15551234567", "555-1234"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(mask_phone(bad), "<unparseable-phone>");
  }
}

TEST(MaskPhone, FormatterMasksByDefault) {
  EXPECT_EQ(fmt::format("to={}", PhoneNumber{"+12135550123"}), "to=+1******0123");
  EXPECT_EQ(fmt::format("{:>14}", PhoneNumber{"+12135550123"}), "  +1******0123");
}

struct ParseCase {
  std::string raw;
  std::string region;
  std::string expect;  // empty: nullopt
};

TEST(ParsePhone, ProvidersMdExamples) {
  const std::vector<ParseCase> cases{
      {"(213) 555-0123", "US", "+12135550123"},
      {"55 1234 5678", "MX", "+525512345678"},
      {"044 55 1234 5678", "MX", "+525512345678"},  // the old Mexican mobile prefix
      {"+52 55 1234 5678", "US", "+525512345678"},  // a country code beats the default region
      {"+12135550123", "MX", "+12135550123"},
      {"whatsapp", "US", ""},
      {"12", "US", ""},  // Parse alone would accept it as +112
      {"", "US", ""},
      {"+15551234567", "US", "+15551234567"},  // a possible length: whether the range is assigned is not asked
      {"+1213555012", "US", ""},               // one digit short of a NANP number
      {"+121355501234", "US", ""},             // one digit too many
      {std::string(100, '1'), "US", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw + "/" + c.region);
    const auto got = parse_phone(c.raw, c.region);
    if (c.expect.empty()) {
      EXPECT_FALSE(got.has_value());
    } else {
      ASSERT_TRUE(got.has_value());
      EXPECT_EQ(got->e164, c.expect);
    }
  }
}

TEST(ParseProviderPhone, TheSameRuleAsEveryOtherNumberAfterTheE164Shape) {
  EXPECT_EQ(parse_provider_phone("+12135550123")->e164, "+12135550123");
  // Unknown to the 2022 metadata, but of a possible length: the same rule as everywhere.
  EXPECT_EQ(parse_provider_phone("+15551234567")->e164, "+15551234567");
  EXPECT_FALSE(parse_provider_phone("+1213555012").has_value()) << "too short for its country code";
  EXPECT_FALSE(parse_provider_phone("+0123456789").has_value());
  EXPECT_FALSE(parse_provider_phone("whatsapp:+12135550123").has_value());
  EXPECT_FALSE(parse_provider_phone("").has_value());
}

TEST(IsE164Syntax, Shapes) {
  EXPECT_TRUE(is_e164_syntax("+12135550123"));
  EXPECT_TRUE(is_e164_syntax("+123456789012345"));
  EXPECT_FALSE(is_e164_syntax("+1234567890123456"));
  EXPECT_FALSE(is_e164_syntax("12135550123"));
  EXPECT_FALSE(is_e164_syntax("+1 213 555 0123"));
}

// One rule wherever a number comes from: what a web form may name, a webhook may send, and back.
TEST(PhoneRule, WebhooksAndWebFormsAcceptTheSameNumbers) {
  for (const std::string raw : {"+15551234567", "+12135550123", "+525512345678", "+1213555012", "+99912345678",
                                "+44 20 7946 0958", "+0123456789"}) {
    SCOPED_TRACE(raw);
    const auto typed = parse_phone(raw, "US");
    const auto delivered = parse_provider_phone(raw);
    if (is_e164_syntax(raw)) {
      EXPECT_EQ(typed.has_value(), delivered.has_value());
    } else {
      EXPECT_FALSE(delivered.has_value()) << "a provider always sends E.164";
    }
  }
}

}  // namespace
}  // namespace centinela
