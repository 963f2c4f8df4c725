#include "dispatcher/storage/outbox.hpp"

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::storage {

void enqueue_text(pqxx::work& tx, const Context& ctx, const OneOffText& text) {
  const auto now = ctx.clock().now();
  const auto& policy = ctx.config().alerts;
  const auto expires = now + (text.report_id != 0 ? policy.expiry : policy.reply_expiry);
  tx.exec_params(
      "INSERT INTO outbox (kind, report_id, to_enc, body_enc, created_at, priority, from_number, expires_at) "
      "VALUES ($1, NULLIF($2, 0), $3, $4, to_timestamp($5 / 1e6), $6, NULLIF($7, ''), to_timestamp($8 / 1e6))",
      text.kind, text.report_id, bin(ctx.cipher().encrypt(text.to.e164)), bin(ctx.cipher().encrypt(text.body)),
      to_micros(now), static_cast<int>(text.priority), text.from_number, to_micros(expires));
}

}  // namespace centinela::storage
