// Who hears about a new report: every operator whose regions cover it (its region or a parent),
// or, when its region is unknown, the operators of the top of the tree.
#pragma once

#include <string>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/queue/responder_queue.hpp"

namespace centinela::queue {

std::vector<const config::Operator*> operators_for(const Context& ctx, const std::string& region_id);

// Queues one notification per operator; returns how many.
int notify_operators(pqxx::work& tx, const Context& ctx, const FiledReport& report,
                     const std::string& report_text);

}  // namespace centinela::queue
