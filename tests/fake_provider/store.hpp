// What the fake provider accepted and counted: messages kept in memory (bounded) and optionally
// appended to a JSON-lines file, plus the counters behind GET /_stats. One io thread owns it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace centinela::fake_provider {

struct MessageRecord {
  std::string sid;
  std::string to;
  std::string from;
  std::string body;
  std::optional<int> validity_period;
  std::string status_callback;  // empty: none
  std::int64_t received_at_ms = 0;
};

struct Stats {
  std::uint64_t accepted = 0;
  std::uint64_t rejected_429 = 0;
  std::uint64_t rejected_500 = 0;
  std::uint64_t dropped = 0;
  std::uint64_t auth_failed = 0;
  std::uint64_t invalid = 0;            // Twilio 4xx validation errors, 21610 included
  std::uint64_t callbacks_sent = 0;     // callback POSTs answered 2xx
  std::uint64_t callbacks_failed = 0;   // callback POSTs that did not get a 2xx (dropped included)
  std::uint64_t callbacks_dropped = 0;  // never attempted: over the pending bound, or not loopback
  std::uint64_t messages_not_kept = 0;  // accepted beyond the in-memory cap (still in --record)
};

class Store {
 public:
  // Memory cap: 200k messages of ~200 bytes is ~40 MB, enough for the 100k benchmark.
  static constexpr std::size_t default_max_kept = 200'000;

  explicit Store(std::size_t max_kept = default_max_kept) : max_kept_(max_kept) {}
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Opens (appends to) the JSON-lines record file. false if it cannot be opened.
  bool open_record_file(const std::string& path);
  bool open_request_log(const std::string& path);
  // One line per Messages request: when it arrived, its From, and what it was answered.
  void log_request(std::int64_t at_ms, std::string_view from, std::string_view outcome);
  void add(MessageRecord rec);  // writes and flushes one line, so a killed fake loses nothing
  void reset();                 // messages and stats; the record file keeps its history

  Stats& stats() { return stats_; }
  std::string stats_json(std::size_t callbacks_pending) const;
  std::string messages_json() const;

 private:
  std::size_t max_kept_;
  std::vector<MessageRecord> kept_;
  Stats stats_;
  std::FILE* record_ = nullptr;
  std::FILE* request_log_ = nullptr;
  std::string line_;  // reused buffer: no allocation per recorded line once warmed up
};

std::string record_json(const MessageRecord& rec);  // one JSON object, no newline
void append_record_json(std::string& out, const MessageRecord& rec);

}  // namespace centinela::fake_provider
