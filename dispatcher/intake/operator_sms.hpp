// What a text from a configured operator does: the responder commands (YES, NO, CLAIM, ON, OFF,
// MORE, UPDATE, ...). Each answer goes back to the operator only.
#pragma once

#include <pqxx/transaction>

#include "config/config.hpp"
#include "dispatcher/core/context.hpp"
#include "dispatcher/intake/inbound_sms.hpp"
#include "providers/provider.hpp"

namespace centinela::intake {

// Runs inside apply_inbound_sms's transaction, so the effect and the reply commit together.
InboundResult apply_operator_sms(pqxx::work& tx, const Context& ctx, const config::Operator& op,
                                 const providers::InboundSms& sms);

}  // namespace centinela::intake
