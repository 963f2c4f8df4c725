// Message store and counters (see store.hpp).
#include "tests/fake_provider/store.hpp"

#include <nlohmann/json.hpp>

#include "tests/fake_provider/json_text.hpp"
#include "tests/fake_provider/twilio_wire.hpp"

namespace centinela::fake_provider {

std::string record_json(const MessageRecord& rec) {
  std::string out;
  out.reserve(200 + rec.body.size());
  append_record_json(out, rec);
  return out;
}

void append_record_json(std::string& out, const MessageRecord& rec) {
  // Hand-built: one line per accepted message is on the benchmark's hot path (json_text.hpp).
  out += '{';
  append_json_key(out, "sid");
  append_json_string(out, rec.sid);
  out += ',';
  append_json_key(out, "to");
  append_json_string(out, rec.to);
  out += ',';
  append_json_key(out, "from");
  append_json_string(out, rec.from);
  out += ',';
  append_json_key(out, "body");
  append_json_string(out, rec.body);
  out += ',';
  append_json_key(out, "validity_period");
  out += rec.validity_period ? std::to_string(*rec.validity_period) : "null";
  out += ',';
  append_json_key(out, "status_callback");
  if (rec.status_callback.empty()) out += "null";
  else append_json_string(out, rec.status_callback);
  out += ',';
  append_json_key(out, "received_at_ms");
  out += std::to_string(rec.received_at_ms);
  out += '}';
}

Store::~Store() {
  if (record_) std::fclose(record_);
  if (request_log_) std::fclose(request_log_);
}

bool Store::open_request_log(const std::string& path) {
  request_log_ = std::fopen(path.c_str(), "a");
  return request_log_ != nullptr;
}

void Store::log_request(std::int64_t at_ms, std::string_view from, std::string_view outcome) {
  if (!request_log_) return;
  std::string line = "{";
  append_json_key(line, "at_ms");
  line += std::to_string(at_ms) + ",";
  append_json_key(line, "from");
  append_json_string(line, from);
  line += ",";
  append_json_key(line, "outcome");
  append_json_string(line, outcome);
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), request_log_);
  std::fflush(request_log_);
}

bool Store::open_record_file(const std::string& path) {
  record_ = std::fopen(path.c_str(), "a");
  return record_ != nullptr;
}

void Store::add(MessageRecord rec) {
  ++stats_.accepted;
  if (record_) {
    line_.clear();
    append_record_json(line_, rec);
    line_.push_back('\n');
    std::fwrite(line_.data(), 1, line_.size(), record_);
    std::fflush(record_);
  }
  if (kept_.size() < max_kept_) {
    kept_.push_back(std::move(rec));
  } else {
    ++stats_.messages_not_kept;
  }
}

void Store::reset() {
  kept_.clear();
  stats_ = Stats{};
}

std::string Store::stats_json(std::size_t callbacks_pending) const {
  return dump_json(nlohmann::json{{"accepted", stats_.accepted},
                        {"rejected_429", stats_.rejected_429},
                        {"rejected_500", stats_.rejected_500},
                        {"dropped", stats_.dropped},
                        {"auth_failed", stats_.auth_failed},
                        {"invalid", stats_.invalid},
                        {"callbacks_sent", stats_.callbacks_sent},
                        {"callbacks_failed", stats_.callbacks_failed},
                        {"callbacks_dropped", stats_.callbacks_dropped},
                        {"callbacks_pending", callbacks_pending},
                        {"messages_kept", kept_.size()},
                        {"messages_not_kept", stats_.messages_not_kept}});
}

std::string Store::messages_json() const {
  std::string out = "[";
  out.reserve(kept_.size() * 256);
  for (const auto& rec : kept_) {
    append_record_json(out, rec);
    out += ',';
  }
  if (out.size() > 1) out.pop_back();
  out += ']';
  return out;
}

}  // namespace centinela::fake_provider
