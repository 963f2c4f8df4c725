// Console provider: see console_provider.hpp.
#include "providers/console/console_provider.hpp"

#include <chrono>
#include <fstream>
#include <stdexcept>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "providers/common/form.hpp"

namespace centinela::providers::console {
namespace {

std::uint64_t clock_seed() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count());
}

std::string iso_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(system_clock::to_time_t(now)), ms);
}

// UTF-8 code points: what a person would call the length of the text.
std::size_t char_count(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Local testers type numbers by hand: E.164, or a national US number.
std::optional<PhoneNumber> lenient_phone(std::string_view raw) {
  if (auto p = parse_provider_phone(raw)) return p;
  // curl -d 'From=+52...' sends a literal '+', which form decoding reads as a space.
  if (raw.starts_with(' ')) {
    while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
    return parse_provider_phone("+" + std::string(raw));
  }
  return parse_phone(raw, "US");
}

void create_parent(const std::filesystem::path& file) {
  if (file.empty() || !file.has_parent_path()) return;
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create directory '" + file.parent_path().string() + "': " + ec.message());
}

}  // namespace

ConsoleProvider::ConsoleProvider(const config::Provider& cfg)
    : name_(cfg.name), output_file_(cfg.output_file), next_id_(clock_seed()), next_inbound_id_(clock_seed()) {
  for (const auto& s : cfg.senders) senders_.push_back(s.number);
  create_parent(output_file_);
}

bool ConsoleProvider::append_line(const std::string& line) {
  if (output_file_.empty()) return true;
  std::ofstream out(output_file_, std::ios::app);
  if (!out) {  // the directory may have been removed since start-up (a cleaned var/)
    try {
      create_parent(output_file_);
    } catch (const std::exception&) {
      return false;
    }
    out.open(output_file_, std::ios::app);
  }
  out << line << '\n';
  out.flush();
  return static_cast<bool>(out);
}

asio::awaitable<SendOutcome> ConsoleProvider::send(const OutboundSms& sms) {
  SendOutcome out;
  const std::string id = fmt::format("console-{}", next_id_++);
  const nlohmann::json line{{"at", iso_now()},
                            {"to", mask_phone(sms.to.e164)},
                            {"from", mask_phone(sms.from.e164)},
                            {"body", sms.body},
                            {"id", id}};
  // replace: a body with broken UTF-8 is still written rather than throwing.
  if (!append_line(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))) {
    spdlog::warn("event=console_write_failed provider={} file={}", name_, output_file_.string());
    out.cls = SendClass::retryable;
    out.detail = "cannot write the console output file";
    co_return out;
  }
  // The body stays out of the log: operator texts can quote a reporter's words.
  spdlog::info("event=console_sms provider={} to={} chars={} id={}", name_, sms.to, char_count(sms.body), id);
  out.cls = SendClass::accepted;
  out.provider_message_id = id;
  co_return out;
}

InboundParse ConsoleProvider::parse_inbound(const WebRequest& req) const {
  const std::string_view query =
      req.target.find('?') == std::string::npos ? std::string_view{} : std::string_view(req.target).substr(req.target.find('?') + 1);
  const auto form = decode_form(req.method == "GET" ? query : std::string_view(req.body));
  if (!form) return InboundError::malformed;
  const auto from_raw = form_value(*form, "From");
  if (!from_raw) return InboundError::malformed;
  auto from = lenient_phone(*from_raw);
  const auto to_raw = form_value(*form, "To");
  auto to = to_raw ? lenient_phone(*to_raw) : (senders_.empty() ? std::nullopt : lenient_phone(senders_.front()));
  if (!from || !to) return InboundError::invalid_phone;
  InboundSms sms;
  sms.from = std::move(*from);
  sms.to = std::move(*to);
  sms.body = std::string(form_value(*form, "Body").value_or(""));
  const auto sid = form_value(*form, "MessageSid");
  sms.provider_message_id = sid && !sid->empty() ? std::string(*sid) : fmt::format("console-in-{}", next_inbound_id_++);
  return sms;
}

Provider::WebhookAnswer ConsoleProvider::answer_inbound(std::string_view reply_text) const {
  const nlohmann::json body{{"reply", reply_text}};
  return {"application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace centinela::providers::console
