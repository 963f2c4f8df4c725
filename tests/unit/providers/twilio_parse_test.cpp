// Twilio webhooks through the shared harness: signature first, then parse_inbound/parse_receipt.
#include <gtest/gtest.h>

#include "providers/twilio/twilio_parse.hpp"
#include "tests/unit/providers/twilio_test_support.hpp"

namespace centinela::providers::twilio {
namespace {

using testing::ExpectedInbound;
using testing::InboundCase;
using testing::StatusCase;

constexpr std::string_view inbound_url = "https://centinela.example.org/webhooks/twilio/sms";
constexpr std::string_view status_url = "https://centinela.example.org/webhooks/twilio/status";
const std::vector<std::string> raw_phones{"+12135550123", "+13105550199", "2135550123"};

// A real inbound webhook's shape, location fields included.
const std::string full_inbound =
    "ToCountry=US&ToState=CA&SmsMessageSid=SM11111111111111111111111111111111&NumMedia=0&ToCity=LOS+ANGELES"
    "&FromZip=90022&SmsSid=SM11111111111111111111111111111111&FromState=CA&SmsStatus=received"
    "&FromCity=LOS+ANGELES&Body=ICE+en+5th+%26+Main&FromCountry=US&To=%2B13105550199"
    "&MessagingServiceSid=MG0&ToZip=90001&NumSegments=1&MessageSid=SM11111111111111111111111111111111"
    "&AccountSid=AC00000000000000000000000000000001&From=%2B12135550123&ApiVersion=2010-04-01";

TEST(TwilioInbound, Cases) {
  asio::io_context io;
  auto provider = testing::make_test_twilio(io);
  const ExpectedInbound report{"SM11111111111111111111111111111111", "+12135550123", "+13105550199", "ICE en 5th & Main"};
  testing::run_inbound_cases(*provider, inbound_url,
      {
          {"full webhook", full_inbound, true, report},
          {"forged signature", full_inbound, false, std::nullopt},
          {"old id alias SmsSid", "SmsSid=SM2&From=%2B12135550123&To=%2B13105550199&Body=hi", true,
           ExpectedInbound{"SM2", "+12135550123", "+13105550199", "hi"}},
          {"old id alias SmsMessageSid", "SmsMessageSid=SM3&From=%2B12135550123&To=%2B13105550199&Body=hi", true,
           ExpectedInbound{"SM3", "+12135550123", "+13105550199", "hi"}},
          {"media only, no Body", "MessageSid=SM4&From=%2B12135550123&To=%2B13105550199&NumMedia=1", true,
           ExpectedInbound{"SM4", "+12135550123", "+13105550199", ""}},
          {"missing id", "From=%2B12135550123&To=%2B13105550199&Body=hi", true, std::nullopt},
          {"missing From", "MessageSid=SM5&To=%2B13105550199&Body=hi", true, std::nullopt},
          {"missing To", "MessageSid=SM5&From=%2B12135550123&Body=hi", true, std::nullopt},
          {"From not a number", "MessageSid=SM6&From=whatsapp%3A%2B12135550123&To=%2B13105550199&Body=hi", true,
           std::nullopt},
          {"status callback sent to the inbound URL",
           "MessageSid=SM7&SmsStatus=delivered&MessageStatus=delivered&From=%2B13105550199&To=%2B12135550123", true,
           std::nullopt},
          {"oversized id", "MessageSid=" + std::string(100, 'S') + "&From=%2B12135550123&To=%2B13105550199&Body=x",
           true, std::nullopt},
      },
      testing::twilio_signer, raw_phones);
}

TEST(TwilioInbound, LocationFieldsAreDropped) {
  for (const char* name : {"FromCity", "FromState", "FromZip", "FromCountry", "ToCity", "ToState", "ToZip",
                           "ToCountry", "CallerCity", "CallerZip", "CalledState", "CalledCountry"}) {
    EXPECT_TRUE(is_location_field(name)) << name;
  }
  for (const char* name : {"From", "To", "Body", "Caller", "FromCarrier", "Country", "ToZipper"}) {
    EXPECT_FALSE(is_location_field(name)) << name;
  }
  const auto kept = drop_location_fields(*decode_form(full_inbound));
  for (const auto& [name, value] : kept) EXPECT_FALSE(is_location_field(name)) << name;
  EXPECT_EQ(kept.size(), 12u);
}

// Advanced Opt-Out: Twilio already answered the keyword, so the dispatcher must not answer again.
TEST(TwilioInbound, OptOutTypeMarksTheKeywordAsHandledByTheProvider) {
  const std::string base = "MessageSid=SM9&From=%2B12135550123&To=%2B13105550199&Body=";
  const auto handled = [&](const std::string& tail) {
    const auto sms = parse_inbound(*decode_form(base + tail));
    EXPECT_TRUE(sms.has_value()) << tail;
    return sms ? sms->provider_handled : std::string{"<unparsed>"};
  };
  EXPECT_EQ(handled("STOP&OptOutType=STOP"), "STOP");
  EXPECT_EQ(handled("unstop&OptOutType=start"), "START");
  EXPECT_EQ(handled("HELP&OptOutType=HELP"), "HELP");
  EXPECT_EQ(handled("STOP"), "") << "without Advanced Opt-Out the keyword is ours to answer";
  EXPECT_EQ(handled("STOP&OptOutType="), "");
}

TEST(TwilioInbound, GetWebhookReadsTheQuery) {
  WebRequest req;
  req.method = "GET";
  req.target = "/webhooks/twilio/sms?MessageSid=SM8&From=%2B12135550123&To=%2B13105550199&Body=hola";
  const auto sms = parse_inbound(*webhook_params(req));
  ASSERT_TRUE(sms.has_value());
  EXPECT_EQ(sms->body, "hola");
}

TEST(TwilioReceipts, Cases) {
  asio::io_context io;
  auto provider = testing::make_test_twilio(io);
  const auto cb = [](std::string status, std::string extra = "") {
    return "MessageSid=SM9&MessageStatus=" + status + "&AccountSid=AC1&From=%2B13105550199&To=%2B12135550123" + extra;
  };
  testing::run_status_cases(*provider, status_url,
      {
          {"accepted", cb("accepted"), true, ReceiptState::queued, "SM9"},
          {"scheduled", cb("scheduled"), true, ReceiptState::queued},
          {"queued", cb("queued"), true, ReceiptState::queued},
          {"sending", cb("sending"), true, ReceiptState::queued},
          {"sent", cb("sent"), true, ReceiptState::sent},
          {"delivered", cb("delivered", "&RawDlrDoneDate=2401011200"), true, ReceiptState::delivered},
          {"read", cb("read"), true, ReceiptState::delivered},
          {"undelivered with code", cb("undelivered", "&ErrorCode=30003"), true, ReceiptState::undelivered, "SM9", 30003},
          {"failed with opt-out code", cb("failed", "&ErrorCode=21610"), true, ReceiptState::failed, "SM9", 21610},
          {"canceled", cb("canceled"), true, ReceiptState::failed},
          {"garbage error code", cb("failed", "&ErrorCode=30x"), true, ReceiptState::failed, "SM9", 0},
          {"old aliases", "SmsSid=SM10&SmsStatus=delivered", true, ReceiptState::delivered, "SM10"},
          {"inbound status", cb("received"), true, std::nullopt},
          {"unknown status", cb("exploded"), true, std::nullopt},
          {"missing status", "MessageSid=SM9", true, std::nullopt},
          {"missing id", "MessageStatus=delivered", true, std::nullopt},
          {"forged", cb("delivered"), false, std::nullopt},
      },
      testing::twilio_signer, raw_phones);
}

}  // namespace
}  // namespace centinela::providers::twilio
