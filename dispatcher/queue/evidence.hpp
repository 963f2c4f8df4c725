// The verification checklist (config/evidence.hpp) an operator fills while checking a report:
// stored encrypted on the incident's head, since it may name people and places.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/queue/responder_queue.hpp"

namespace centinela::queue {

using Evidence = std::map<std::string, std::string>;

// A stored checklist (reports.evidence_enc, may be NULL), decrypted; nullopt when it was sealed
// with another data key.
std::optional<Evidence> decode_evidence(const Context& ctx, const pqxx::field& evidence_enc);

// The checklist of a report's head, decrypted (empty when nothing was recorded).
Evidence load_evidence(pqxx::transaction_base& tx, const Context& ctx, std::int64_t head_id);

// The fields verification.required_evidence asks for that are still empty.
std::vector<std::string> missing_evidence(pqxx::transaction_base& tx, const Context& ctx, std::int64_t head_id);

// Sets one field (a name from config::evidence_fields); outcome evidence_recorded with what is
// still missing, or the usual refusals.
Decision record_evidence(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                         const std::string& field, const std::string& text);

}  // namespace centinela::queue
