// One inbound text, applied exactly once: the webhook's effect and the reply are committed in one
// transaction keyed by the provider's message id, so a retried webhook gets the same reply and
// changes nothing.
#pragma once

#include <string>

#include <pqxx/connection>

#include "dispatcher/core/context.hpp"
#include "providers/provider.hpp"

namespace centinela::intake {

struct InboundResult {
  std::string reply;        // text to answer with (empty: no reply)
  bool duplicate = false;   // a retry of a message already applied
  bool alert_created = false;
  bool texts_queued = false;  // operator notifications waiting in the outbox
};

InboundResult apply_inbound_sms(pqxx::connection& conn, const Context& ctx,
                                const std::string& provider, const providers::InboundSms& sms);

}  // namespace centinela::intake
