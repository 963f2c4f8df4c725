// The console provider writes one masked JSON line per text and never logs a number or a body.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/console/console_provider.hpp"
#include "tests/support/provider_harness.hpp"
#include "tests/unit/providers/loopback_server.hpp"

#include <boost/asio/io_context.hpp>  // after net.hpp, which includes <utility> first

namespace centinela::providers::console {
namespace {

namespace fs = std::filesystem;

config::Provider console_config(const fs::path& file) {
  config::Provider cfg;
  cfg.name = "console";
  cfg.type = "console";
  cfg.output_file = file.string();
  cfg.senders = {{"+13105550199", 1.0}};
  return cfg;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("centinela-console-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

TEST(ConsoleProvider, WritesAMaskedJsonLine) {
  const fs::path dir = fresh_dir("send");
  const fs::path file = dir / "nested" / "sms.jsonl";  // the parent directory is created
  ConsoleProvider provider(console_config(file));
  asio::io_context io;
  OutboundSms sms;
  sms.to = PhoneNumber{"+12135550123"};
  sms.from = PhoneNumber{"+13105550199"};
  sms.body = "Alerta: ICE en 5th & Main ñ";
  testing::LogCapture logs;
  SendOutcome first, second;
  ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> {
    first = co_await provider.send(sms);
    second = co_await provider.send(sms);
  }));
  EXPECT_EQ(first.cls, SendClass::accepted);
  EXPECT_TRUE(first.provider_message_id.starts_with("console-"));
  EXPECT_NE(first.provider_message_id, second.provider_message_id);

  std::ifstream in(file);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["to"], "+1******0123");
  EXPECT_EQ(j["from"], "+1******0199");
  EXPECT_EQ(j["body"], sms.body);
  EXPECT_EQ(j["id"], first.provider_message_id);
  EXPECT_TRUE(j["at"].get<std::string>().ends_with("Z"));
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_FALSE(std::getline(in, line)) << "exactly one line per text";
  EXPECT_EQ(line.find("+12135550123"), std::string::npos);

  const std::string text = logs.text();
  EXPECT_NE(text.find("event=console_sms"), std::string::npos);
  EXPECT_NE(text.find("to=+1******0123"), std::string::npos);
  EXPECT_NE(text.find("chars=27"), std::string::npos) << text;
  testing::expect_no_leaks(text, provider, {"+12135550123", "2135550123", "Alerta"});
  fs::remove_all(dir);
}

TEST(ConsoleProvider, UnwritableFileIsRetryable) {
  const fs::path dir = fresh_dir("unwritable");
  fs::create_directories(dir);
  ConsoleProvider provider(console_config(dir));  // a directory cannot be opened as a file
  asio::io_context io;
  OutboundSms sms;
  sms.to = PhoneNumber{"+12135550123"};
  SendOutcome out;
  ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> { out = co_await provider.send(sms); }));
  EXPECT_EQ(out.cls, SendClass::retryable);
  fs::remove_all(dir);
}

TEST(ConsoleProvider, InboundLikeTheQuickStartCurl) {
  const ConsoleProvider provider(console_config(""));
  // curl -d 'From=+12135550123' sends a raw '+', which decodes as a space.
  auto sms = provider.parse_inbound(testing::form_post("From=+12135550123&Body=ICE+at+5th&MessageSid=abc"));
  ASSERT_TRUE(sms.has_value());
  EXPECT_EQ(sms->from.e164, "+12135550123");
  EXPECT_EQ(sms->to.e164, "+13105550199") << "To defaults to the first sender";
  EXPECT_EQ(sms->body, "ICE at 5th");
  EXPECT_EQ(sms->provider_message_id, "abc");

  auto generated = provider.parse_inbound(testing::form_post("From=%2B525512345678&To=%2B13105550199&Body=x"));
  ASSERT_TRUE(generated.has_value());
  EXPECT_EQ(generated->from.e164, "+525512345678");
  auto again = provider.parse_inbound(testing::form_post("From=%2B525512345678&To=%2B13105550199&Body=x"));
  EXPECT_NE(generated->provider_message_id, again->provider_message_id);

  EXPECT_FALSE(provider.parse_inbound(testing::form_post("Body=no+sender")).has_value());
  EXPECT_FALSE(provider.parse_inbound(testing::form_post("From=nobody&Body=x")).has_value());
  EXPECT_TRUE(provider.verify_signature(testing::form_post(""), "http://127.0.0.1/x"));
  EXPECT_FALSE(provider.parse_receipt(testing::form_post("MessageSid=a&MessageStatus=delivered")).has_value());
}

TEST(ConsoleProvider, AnswersJson) {
  const ConsoleProvider provider(console_config(""));
  const auto a = provider.answer_inbound("Recibido \"ok\"");
  EXPECT_EQ(a.content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(a.body)["reply"], "Recibido \"ok\"");
}

}  // namespace
}  // namespace centinela::providers::console
