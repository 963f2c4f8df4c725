// What a text from a member or anyone else (not an operator) does: join with double opt-in,
// leave a region, change language, opt out or in, ask for help, or report a sighting.
#pragma once

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/intake/inbound_sms.hpp"
#include "providers/provider.hpp"

namespace centinela::intake {

// Runs inside apply_inbound_sms's transaction, so the effect and the reply commit together.
InboundResult apply_member_sms(pqxx::work& tx, const Context& ctx, const providers::InboundSms& sms);

}  // namespace centinela::intake
