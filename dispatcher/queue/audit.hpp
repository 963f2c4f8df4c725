// The audit trail of a report: who did what, when, through which channel. Written in the same
// transaction as the effect it records, so the trail never misses an action that happened.
#pragma once

#include <cstdint>
#include <string>

#include <pqxx/transaction>

#include "dispatcher/core/clock.hpp"
#include "dispatcher/storage/crypto.hpp"

namespace centinela::queue {

// `actor`: "operator:Ana", "reporter", "system"; `channel`: "sms", "api", "system".
void audit(pqxx::work& tx, std::int64_t report_id, const std::string& actor, const std::string& channel,
           const std::string& action, const std::string& detail, Timestamp at);

// Free text an operator wrote (a NOTE, a MORE question) may name people: it is stored encrypted
// (report_actions.detail_enc) and decrypted only for the timeline.
void audit_private(pqxx::work& tx, const storage::DataCipher& cipher, std::int64_t report_id, const std::string& actor,
                   const std::string& channel, const std::string& action, const std::string& text, Timestamp at);

}  // namespace centinela::queue
