#include "dispatcher/queue/evidence.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "config/evidence.hpp"
#include "dispatcher/queue/audit.hpp"
#include "dispatcher/queue/incident.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {

std::optional<Evidence> decode_evidence(const Context& ctx, const pqxx::field& f) {
  Evidence out;
  if (f.is_null()) return out;
  const auto plain = ctx.cipher().decrypt(storage::bytes_of(f));
  if (!plain) return std::nullopt;
  const auto fields = nlohmann::json::parse(*plain);  // a named object: items() must not outlive it
  for (const auto& [key, value] : fields.items()) out[key] = value.get<std::string>();
  return out;
}

Evidence load_evidence(pqxx::transaction_base& tx, const Context& ctx, std::int64_t head_id) {
  const auto rows = tx.exec_params("SELECT evidence_enc FROM reports WHERE id = $1", head_id);
  if (rows.empty()) return {};
  auto evidence = decode_evidence(ctx, rows[0][0]);
  // Sealed with another key (CENTINELA_DATA_KEY changed): overwriting it would lose it.
  if (!evidence) throw std::runtime_error("stored evidence does not decrypt with the data key");
  return *evidence;
}

std::vector<std::string> missing_evidence(pqxx::transaction_base& tx, const Context& ctx, std::int64_t head_id) {
  const auto& required = ctx.config().verification.required_evidence;
  if (required.empty()) return {};
  const auto evidence = load_evidence(tx, ctx, head_id);
  std::vector<std::string> missing;
  for (const auto& field : required) {
    const auto it = evidence.find(field);
    if (it == evidence.end() || it->second.find_first_not_of(" \t\r\n") == std::string::npos)
      missing.push_back(field);
  }
  return missing;
}

Decision record_evidence(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                         const std::string& field, const std::string& text) {
  if (!config::is_evidence_field(field)) throw std::invalid_argument("not an evidence field: " + field);
  const auto now = ctx.clock().now();
  const auto incident = lock_incident(tx, code, now);
  if (auto refused = refuse_command(ctx, actor, incident, code)) return *refused;
  auto evidence = load_evidence(tx, ctx, incident->id);
  evidence[field] = text;
  tx.exec_params("UPDATE reports SET evidence_enc = $2 WHERE id = $1", incident->id,
                 storage::bin(ctx.cipher().encrypt(nlohmann::json(evidence).dump())));
  // The trail names the field, not its content: the content is encrypted with the report.
  audit(tx, incident->id, actor.name(), actor.channel, "evidence", field, now);
  renew_claim(tx, ctx, *incident, actor);
  Decision d;
  d.outcome = Outcome::evidence_recorded;
  d.code = code;
  d.status = incident->status;
  d.region_id = incident->region_id;
  d.missing = missing_evidence(tx, ctx, incident->id);
  return d;
}

}  // namespace centinela::queue
