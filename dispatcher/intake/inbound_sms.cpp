#include "dispatcher/intake/inbound_sms.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/intake/member_sms.hpp"
#include "dispatcher/intake/operator_sms.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::intake {
namespace {

using storage::bin;

// The sending number a reply must leave from: the one the person texted, when it is ours.
std::string reply_sender(const Context& ctx, const providers::InboundSms& sms) {
  for (const auto& provider : ctx.config().providers)
    for (const auto& sender : provider.senders)
      if (sender.number == sms.to.e164) return sender.number;
  return {};  // a number no longer configured: any sender answers rather than nobody
}

// Replies leave through the outbox, not in the webhook's answer: an answer in TwiML is sent by the
// provider outside our pacing and takes the sender's rate from an alert that is going out. An
// operator's answer is urgent; so is an opt-out confirmation. Everyone else's (join
// confirmations, help, report receipts) waits behind member alerts.
void queue_reply(pqxx::work& tx, const Context& ctx, const providers::InboundSms& sms, bool to_operator,
                 InboundResult& result) {
  if (result.reply.empty()) return;
  const bool urgent = to_operator || result.urgent_reply;
  const auto priority = urgent ? storage::TextPriority::urgent : storage::TextPriority::routine;
  const auto from = reply_sender(ctx, sms);
  storage::enqueue_text(tx, ctx, {"reply", 0, sms.from, result.reply, priority, from});
  for (const auto& more : result.further_replies) storage::enqueue_text(tx, ctx, {"reply", 0, sms.from, more, priority, from});
  result.texts_queued = true;
}

}  // namespace

InboundResult apply_inbound_sms(pqxx::connection& conn, const Context& ctx,
                                const std::string& provider, const providers::InboundSms& sms) {
  pqxx::work tx{conn};
  const auto now = storage::to_micros(ctx.clock().now());
  const auto fresh = tx.exec_params(
      "INSERT INTO inbound_messages (provider, provider_message_id, received_at) "
      "VALUES ($1, $2, to_timestamp($3 / 1e6)) ON CONFLICT DO NOTHING RETURNING 1",
      provider, sms.provider_message_id, now);
  if (fresh.empty()) {
    const auto row = tx.exec_params1(
        "SELECT reply_enc FROM inbound_messages WHERE provider = $1 AND provider_message_id = $2",
        provider, sms.provider_message_id);
    InboundResult replay;
    replay.duplicate = true;
    if (!row[0].is_null()) replay.reply = ctx.cipher().decrypt(storage::bytes_of(row[0])).value_or("");
    spdlog::info("event=inbound_duplicate provider={} from={}", provider, sms.from);
    return replay;
  }
  const auto* op = ctx.operator_by_phone(sms.from.e164);
  InboundResult result;
  if (!op) {
    result = apply_member_sms(tx, ctx, sms);
  } else if (sms.provider_handled.empty()) {
    result = apply_operator_sms(tx, ctx, *op, sms);
  } else {
    // The provider answered an operator's STOP/START/HELP itself; an operator's consent is
    // managed in config, so there is nothing to record and nothing more to say.
    spdlog::warn("event=operator_keyword_handled_by_provider operator={} keyword={}", op->name, sms.provider_handled);
  }
  queue_reply(tx, ctx, sms, op != nullptr, result);
  // Kept for the audit of what we answered; a retry reads it back and queues nothing.
  tx.exec_params(
      "UPDATE inbound_messages SET reply_enc = $3 WHERE provider = $1 AND provider_message_id = $2",
      provider, sms.provider_message_id, bin(ctx.cipher().encrypt(result.reply)));
  tx.commit();
  return result;
}

}  // namespace centinela::intake
