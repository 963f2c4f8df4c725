// centinela-bench-seed: loads N members straight into the database for the fan-out benchmark,
// stored exactly as JOIN stores them (AEAD-encrypted number + keyed blind index, see
// storage/crypto.hpp), with COPY so that 100,000 members take seconds rather than minutes of
// webhooks.
//
// usage: centinela-bench-seed --db CONNINFO --members N --regions a,b[,c]
//                             [--first-number 14150000000] [--spanish-every K]
// The data key comes from CENTINELA_DATA_KEY, as for `centinela serve`.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <pqxx/pqxx>

#include "dispatcher/storage/crypto.hpp"

namespace {

using centinela::storage::Bytes;
using centinela::storage::DataCipher;

constexpr int exit_usage = 2;

struct Options {
  std::string db;
  long long members = 0;
  std::string regions;                       // comma-separated; members are spread round-robin
  long long first_number = 14150000000;      // +1 415 000 0000, then +1 each
  long long spanish_every = 4;               // every K-th member reads Spanish; 0: nobody
};

bool parse(int argc, char** argv, Options& o) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  if (argc % 2 == 0) return false;
  try {
    for (const auto& [k, v] : args) {
      if (k == "--db") o.db = v;
      else if (k == "--members") o.members = std::stoll(v);
      else if (k == "--regions") o.regions = v;
      else if (k == "--first-number") o.first_number = std::stoll(v);
      else if (k == "--spanish-every") o.spanish_every = std::stoll(v);
      else return false;
    }
  } catch (const std::exception&) {
    return false;
  }
  return !o.db.empty() && o.members > 0 && !o.regions.empty() && o.spanish_every >= 0;
}

// COPY's text format for bytea: "\x" + hex. libpqxx's COPY escaper doubles the backslash, and
// COPY undoes that before the bytea input function sees it.
std::string bytea_hex(const Bytes& b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + b.size() * 2);
  for (const unsigned char c : b) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xf]);
  }
  return out;
}

std::string utc_now_text() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S+00", &tm);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::cerr << "usage: centinela-bench-seed --db CONNINFO --members N --regions a,b "
                 "[--first-number 14150000000] [--spanish-every K]\n";
    return exit_usage;
  }
  const char* key = std::getenv("CENTINELA_DATA_KEY");
  if (!key || !*key) {
    std::cerr << "centinela-bench-seed: CENTINELA_DATA_KEY is not set\n";
    return exit_usage;
  }
  try {
    const auto started = std::chrono::steady_clock::now();
    const DataCipher cipher(key);
    pqxx::connection conn(o.db);
    pqxx::work tx(conn);
    const auto before = tx.exec1("SELECT coalesce(max(id), 0) FROM subscribers")[0].as<std::int64_t>();
    const std::string now = utc_now_text();
    {
      pqxx::stream_to copy(tx, "subscribers",
                           std::vector<std::string>{"phone_enc", "phone_idx", "language", "status",
                                                    "created_at", "updated_at"});
      for (long long i = 0; i < o.members; ++i) {
        const std::string number = "+" + std::to_string(o.first_number + i);
        const bool spanish = o.spanish_every > 0 && i % o.spanish_every == 0;
        copy << std::make_tuple(bytea_hex(cipher.encrypt(number)), bytea_hex(cipher.blind_index(number)),
                                std::string(spanish ? "es" : "en"), std::string("active"), now, now);
      }
      copy.complete();
    }
    // Set-based: member k joins region k mod R, as a crowd joining different keywords would.
    const auto joined = tx.exec_params(
        "INSERT INTO subscriptions (region_id, subscriber_id, created_at) "
        "SELECT r.regions[1 + (s.id % array_length(r.regions, 1))], s.id, $3::timestamptz "
        "FROM subscribers s, (SELECT string_to_array($2, ',') AS regions) r WHERE s.id > $1",
        before, o.regions, now);
    tx.exec_params(
        "INSERT INTO consent_events (subscriber_id, event, region_id, at) "
        "SELECT subscriber_id, 'join', region_id, created_at FROM subscriptions WHERE subscriber_id > $1",
        before);
    tx.commit();
    {
      pqxx::nontransaction analyze(conn);
      analyze.exec("ANALYZE subscribers; ANALYZE subscriptions");
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    std::cout << "seeded " << o.members << " members (" << joined.affected_rows() << " subscriptions) in "
              << took.count() << " s\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "centinela-bench-seed: " << e.what() << "\n";
    return 1;
  }
}
