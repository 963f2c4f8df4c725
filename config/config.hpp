// The coordinator's configuration as plain values. A default-constructed Config holds the
// documented defaults; config/loader.cpp overrides them from YAML and config/validate.cpp checks
// the whole thing before the service opens a socket.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace centinela::config {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";            // host:port; port 0 picks a free one
  std::string public_base_url = "http://127.0.0.1:8080";  // as providers reach us: signed URLs
  std::size_t max_body_bytes = 64 * 1024;           // webhooks and reports are small
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight sends finish within this
  // Open connections at most. At the cap a newcomer closes the connection idle the longest (a
  // keep-alive waiting for its next request), so idle sockets can never lock webhooks out; when
  // every connection is busy, the newcomer gets 503 with Retry-After. Each costs a descriptor.
  int max_connections = 1024;
  // How long a connection may wait for the first byte of its next request; read_timeout bounds
  // the request itself once that byte has arrived.
  std::chrono::milliseconds idle_timeout{5'000};
  // Connections from one address (an IPv6 /64) at most: over it, that address's own idle
  // connection is closed, or the newcomer gets 429. 0: no limit. Left out: a quarter of
  // max_connections (per_address_limit), so one client can never hold every slot. Behind a reverse
  // proxy every client shares its address, hence trusted_proxies.
  std::optional<int> max_connections_per_address;
  // Addresses or CIDR blocks exempt from that limit. Left out: loopback, where the reverse proxy of
  // the README's HTTPS set-up runs; list your proxy's address if it runs elsewhere.
  std::vector<std::string> trusted_proxies = default_trusted_proxies();
  static std::vector<std::string> default_trusted_proxies() { return {"127.0.0.1", "::1"}; }
};

// The per-address limit in force: the configured one, else a quarter of max_connections.
inline int per_address_limit(const ServerConfig& s) {
  return s.max_connections_per_address.value_or(std::max(1, s.max_connections / 4));
}

struct DatabaseConfig {
  std::string url = "host=/tmp/centinela-pg dbname=centinela user=centinela";  // libpq conninfo
  int pool_threads = 4;  // blocking libpqxx calls run here, never on the HTTP threads
  // A database that is down or hung must cost a request seconds (then a 503), not minutes: each
  // bound is added to the conninfo unless `url` (or PGCONNECT_TIMEOUT, PGOPTIONS) sets its own.
  std::chrono::milliseconds connect_timeout{3'000};    // per host tried; libpq's minimum is 2 s
  std::chrono::milliseconds statement_timeout{5'000};  // the server cancels longer statements
  // A call (one transaction) still running after this has its connection cut, for a server that
  // accepts the connection but never answers, which neither bound above catches. 0: never.
  std::chrono::milliseconds call_timeout{10'000};
};

struct Region {
  std::string id;      // stable identifier, e.g. "la-east"
  std::string name;    // shown to members: "East Los Angeles"
  std::string parent;  // empty for the top of the tree
  std::vector<std::string> keywords;   // upper-case SMS keywords and aliases: "EASTLA", "ELA"
  std::vector<std::string> zip_codes;  // "90022"
  // Distinct operators who must confirm a report of this region; 0: verification's default.
  int confirmations_required = 0;
  // IANA zone of the region's alert times ("America/Phoenix"); empty: the parent's, up to the
  // top-level Config::time_zone (config/time_zone.hpp has the rule).
  std::string time_zone;
};

// A weekly on-call window on the clock of the operator's first region (its time_zone, inherited;
// config::operator_time_zone), whatever the machine's zone. `end` before `start` runs past
// midnight: {days: [fri], start: 22:00, end: 06:00} is Friday night.
struct Shift {
  std::vector<int> days;  // 0 = Sunday ... 6 = Saturday; the day the shift starts
  int start_minute = 0;   // minutes after midnight
  int end_minute = 0;
};

// What an operator is paged for. Responders verify reports of their regions first; backups are
// paged when a report is still unclaimed or undecided after the first wait; coordinators after
// the second, and they also receive unverified advisories.
enum class OperatorRole { responder, backup, coordinator };

struct Operator {
  std::string name;
  std::string phone;  // E.164
  std::vector<std::string> regions;
  std::string api_token_hash;  // "sha256:<hex>", from `centinela hash-token`
  OperatorRole role = OperatorRole::responder;
  // When set, the operator is on call during these shifts; ON/OFF by SMS overrides the schedule
  // until the next shift boundary. Without a schedule, an operator is on call until they text OFF.
  std::vector<Shift> schedule;
};

// Legal observers and other advisory recipients: they receive unverified advisories for their
// regions (never member alerts), and send no commands.
struct Observer {
  std::string name;
  std::string phone;  // E.164
  std::vector<std::string> regions;
};

struct Sender {
  std::string number;               // E.164
  double messages_per_second = 1.0;  // the sender's exact rate limit at the provider
};

struct Provider {
  std::string name;  // referenced by deliveries and webhook paths
  std::string type;  // "console" | "twilio"
  std::string base_url;  // override of the provider's API URL (tests: the fake provider)
  // Resolved credential values (account_sid, auth_token, ...). Secrets are given in YAML only as
  // ${ENV_VAR} references; the loader resolves them here.
  std::map<std::string, std::string> credentials;
  std::vector<Sender> senders;
  std::string output_file;    // console provider: where texts are appended
  std::string ca_file;        // extra CA bundle to trust (tests); empty: system store
  int max_connections = 8;    // concurrent HTTP connections to the provider
};

// Message templates of one language, by message key ("alert", "join_ok", ...). The keys and the
// placeholders each may use are listed in config/templates.hpp.
using LanguageTemplates = std::map<std::string, std::string>;

struct VerificationPolicy {
  int confirmations_required = 1;
  // An alert whose audience is larger than this needs a second operator's YES, whatever the
  // region's quorum. 0: never.
  long long second_approver_above = 0;
  // A claim that sees no activity from its owner for this long lapses, and the report is open to
  // others again (a claim never locks a report forever).
  std::chrono::seconds claim_lease{15 * 60};
  // Evidence fields (what, where, when, agency, vehicles, corroboration) that must be filled
  // before a YES may send an alert to members.
  std::vector<std::string> required_evidence;
};

// Silence escalates. Tier 1 are the on-call responders of the report's region; tier 2 adds the
// backups and every other responder of the region; tier 3 the coordinators of the parent region.
struct EscalationPolicy {
  std::chrono::seconds unclaimed_after{5 * 60};   // no CLAIM since the last page
  std::chrono::seconds undecided_after{15 * 60};  // claimed, but no YES/NO since the claim
};

// Reports of the same region (or its parent or child) this close together form one incident.
struct IncidentPolicy {
  std::chrono::seconds window{30 * 60};
};

// MORE <id> <question>: how long the reporter's next text is relayed to the asking operator.
struct RelayPolicy {
  std::chrono::seconds window{2 * 60 * 60};
};

// Drills: reports filed with DRILL (or "exercise": true) run the whole path, and their alerts
// reach only these numbers, marked as an exercise.
struct ExercisePolicy {
  std::vector<std::string> test_group;  // E.164
};

// A text is retried on every transient provider failure (network, timeout, 5xx, 429) until its
// deadline, then marked expired: an alert's texts until the alert expires, an operator page while
// its report is pending (at most `expiry`), any other text (replies) for `reply_expiry`.
struct AlertPolicy {
  std::chrono::seconds expiry{2 * 60 * 60};
  std::size_t fanout_chunk = 5000;  // deliveries materialized per transaction
  std::chrono::seconds reply_expiry{24 * 60 * 60};
  // No longer read: retries are bounded by the deadline, never by a count. Accepted so that older
  // configurations still load; check-config warns that it has no effect.
  int max_attempts = 0;
};

// Keywords that pick a language ("ES", "ESPAÑOL"): a member texts one alone or after
// JOIN <area>. Matched after accent folding, so "ESPANOL" also matches "ESPAÑOL". The language code
// itself ("ES") always works too, so a keyword list may be empty.
struct LanguageKeywords {
  std::vector<std::string> keywords;
};

// The keywords used when the YAML has no languages: section (for the languages with templates).
inline std::map<std::string, LanguageKeywords> default_language_keywords() {
  return {{"en", {{"EN", "ENGLISH", "INGLES", "INGLÉS"}}},
          {"es", {{"ES", "ESPAÑOL", "ESPANOL", "SPANISH", "CASTELLANO"}}}};
}

struct MembersPolicy {
  // A JOIN from a number that is not yet a confirmed member waits this long for its YES.
  std::chrono::seconds join_confirmation_window{24 * 60 * 60};
  // Opt-out words or phrases beyond the built-in English and Spanish ones (other languages:
  // "ARRET", "PARE"). Each is matched against the whole message, after folding.
  std::vector<std::string> opt_out_words;
};

// Flood defense: limits past which a report is still stored and shown to operators, but
// quarantined (it pages no one). The sender always gets the normal reply, so an attacker cannot
// tell. A max of 0 turns a limit off.
struct RateLimit {
  int max_reports = 0;
  std::chrono::seconds window{10 * 60};
};

struct BurstPolicy {
  // Reports from numbers never seen before (no earlier report, not a member) within `window`:
  // from `new_reporters` of them on, they are grouped as one possible coordinated flood.
  std::chrono::seconds window{10 * 60};
  int new_reporters = 10;
  // Reports from new numbers that may page operators per window, burst or not: the cap that a
  // flood of fresh numbers can never push past.
  int max_operator_pages_per_window = 10;
};

struct FloodPolicy {
  RateLimit per_sender{5, std::chrono::minutes{10}};   // by the reporter's number (blind index)
  RateLimit per_region{20, std::chrono::minutes{10}};  // pages per region, unknown region included
  std::vector<std::string> blocklist;                  // E.164: always quarantined
  // A reporter with at least this many rejected reports and none confirmed is not trusted.
  int low_trust_rejections = 3;
  BurstPolicy burst;
};

struct Config {
  std::string source_path;  // the YAML file this came from, for messages
  ServerConfig server;
  DatabaseConfig database;
  std::vector<Region> regions;
  std::vector<Operator> operators;
  std::vector<Provider> providers;
  std::map<std::string, LanguageTemplates> templates;  // by language code: "en", "es"
  std::string default_language = "en";
  // IANA zone of alert times and shifts wherever a region sets none. Left out, it is the zone the
  // machine runs in (TZ, else /etc/localtime), as before time zones were configurable, and
  // check-config warns: a configuration written earlier still starts, and its shifts do not move.
  std::string time_zone;
  bool time_zone_from_machine = false;  // time_zone was left out and filled in from the machine
  std::string organization_contact;  // HELP replies: who runs this network and how to reach them
  std::string intake_token_hash;     // bearer token of POST /api/v1/reports, "sha256:<hex>"
  std::vector<Observer> observers;
  VerificationPolicy verification;
  EscalationPolicy escalation;
  IncidentPolicy incidents;
  RelayPolicy relay;
  ExercisePolicy exercise;
  AlertPolicy alerts;
  MembersPolicy members;
  FloodPolicy flood;
  // By language code. Empty: default_language_keywords() for every language with templates; a
  // YAML languages: section replaces those defaults as a whole.
  std::map<std::string, LanguageKeywords> languages;
};

}  // namespace centinela::config
