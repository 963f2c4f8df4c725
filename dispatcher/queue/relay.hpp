// MORE <id> <question>: a responder asks the reporter something, and the reporter's next text
// within relay.window goes back to that responder (one question, one answer). Both sides text
// Centinela's number, so neither ever sees the other's.
#pragma once

#include <optional>
#include <string>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/queue/responder_queue.hpp"
#include "providers/common/phone.hpp"

namespace centinela::queue {

// Texts the question to the reporter of the report `code` names (not its incident's head: each
// report has its own reporter), and opens the relay. no_reporter for web reports (their contact
// number was never proven) and for a reporter who opted out.
Decision ask_reporter(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                      const std::string& question);

// A text from `from` while a question to them is open and its report pending: forwarded to the
// operator who asked (closing the question), and true. False otherwise: the text is then whatever
// it would otherwise be.
bool relay_reporter_reply(pqxx::work& tx, const Context& ctx, const PhoneNumber& from, const std::string& text);

}  // namespace centinela::queue
