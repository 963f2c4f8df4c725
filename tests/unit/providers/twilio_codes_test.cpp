// Twilio error-code classification and status mapping (providers/twilio/twilio_codes.hpp).
#include <set>

#include <gtest/gtest.h>

#include "providers/twilio/twilio_codes.hpp"

namespace centinela::providers::twilio {
namespace {

static_assert(classify_error(400, 21610) == SendClass::opted_out);  // the tables are usable at compile time
static_assert(map_status("delivered") == ReceiptState::delivered);

struct ClassCase {
  int http_status;
  int code;
  SendClass expect;
  const char* why;
};

TEST(TwilioCodes, Classification) {
  const ClassCase cases[] = {
      {400, 21610, SendClass::opted_out, "STOP: never text again"},
      {400, 21211, SendClass::permanent, "invalid To"},
      {400, 21614, SendClass::permanent, "not a mobile"},
      {400, 21408, SendClass::permanent, "geo permissions: config"},
      {429, 20429, SendClass::throttled, "rate limited"},
      {429, 0, SendClass::throttled, "bare 429"},
      {400, 21611, SendClass::throttled, "queue full on From"},
      {503, 0, SendClass::retryable, "server side"},
      {500, 0, SendClass::retryable, "server side"},
      {0, 0, SendClass::retryable, "network"},
      {401, 20003, SendClass::permanent, "bad credentials"},
      {400, 99999, SendClass::permanent, "unknown 4xx code"},
      {404, 0, SendClass::permanent, "bare 404"},
      {500, 21211, SendClass::permanent, "a known code wins over the status"},
      {400, 30007, SendClass::permanent, "carrier filtered: no blind retry"},
      {400, 30003, SendClass::retryable, "handset unreachable"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(classify_error(c.http_status, c.code), c.expect) << c.http_status << "/" << c.code << ": " << c.why;
  }
}

TEST(TwilioCodes, ReceiptErrorCodes) {
  // ErrorCode in a status callback: the dispatcher asks code_class() (courier treats 21610 there as
  // an opt-out too); codes not in the table are left to the receipt state.
  EXPECT_EQ(code_class(21610), SendClass::opted_out);
  EXPECT_EQ(code_class(30003), SendClass::retryable);
  EXPECT_EQ(code_class(30006), SendClass::permanent);
  EXPECT_FALSE(code_class(0).has_value());
  EXPECT_FALSE(code_class(12345).has_value());
}

TEST(TwilioCodes, TablesHaveNoDuplicates) {
  std::set<int> codes;
  for (const auto& rule : error_rules) {
    EXPECT_TRUE(codes.insert(rule.code).second) << rule.code;
    EXPECT_FALSE(rule.meaning.empty()) << rule.code;
  }
  std::set<std::string_view> statuses;
  for (const auto& rule : status_rules) EXPECT_TRUE(statuses.insert(rule.status).second) << rule.status;
}

TEST(TwilioCodes, StatusMap) {
  EXPECT_EQ(map_status("queued"), ReceiptState::queued);
  EXPECT_EQ(map_status("sent"), ReceiptState::sent);
  EXPECT_EQ(map_status("undelivered"), ReceiptState::undelivered);
  EXPECT_EQ(map_status("canceled"), ReceiptState::failed);
  EXPECT_FALSE(map_status("Delivered").has_value());  // Twilio sends lower case; nothing else is trusted
  EXPECT_FALSE(map_status("receiving").has_value());
  EXPECT_FALSE(map_status("").has_value());
}

}  // namespace
}  // namespace centinela::providers::twilio
