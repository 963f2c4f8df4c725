// Who is paged about a report, tier by tier. Tier 1: the on-call responders of its region. Tier
// 2: the on-call backups. Tier 3: the coordinators of the parent region (of the region itself at
// the top of the tree) or, with no coordinator there, every operator of the region whatever
// their shift, so silence always reaches somebody. A tier with nobody new in it is skipped.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"

namespace centinela::queue {

inline constexpr int first_tier = 1;
inline constexpr int last_tier = 3;

// Every operator whose regions cover the report's region (an empty region: the top operators).
std::vector<const config::Operator*> operators_for(const Context& ctx, const std::string& region_id);

// The operators of one tier, given who is on call.
std::vector<const config::Operator*> tier_operators(const Context& ctx, const std::string& region_id, int tier,
                                                    const std::set<std::string>& on_call);

struct PageRequest {
  std::int64_t report_id = 0;  // the incident's head
  std::string region_id;
  int from_tier = first_tier;
  std::string kind;            // outbox kind: "operator_new_report", "operator_escalated"
  std::string body;            // the text every paged operator gets
};

struct PageResult {
  int tier = last_tier;  // the tier that was paged (or the last one, when nobody was left)
  int paged = 0;         // operators texted
};

// Texts the first tier at or after `from_tier` with somebody not paged yet, and records them in
// report_pages, in the caller's transaction.
PageResult page_next_tier(pqxx::work& tx, const Context& ctx, const PageRequest& request);

// Operators already paged about the report (its head), by name.
std::vector<std::string> paged_operators(pqxx::transaction_base& tx, std::int64_t report_id);

// "[DRILL] " before every text about a drill, so nobody mistakes an exercise for a raid.
std::string drill_prefix(const Context& ctx, bool exercise);

// An operator text (template `key`, in the default language) that quotes someone's words as
// {text}: when it would be longer than one SMS may be, the words are cut and end with
// operator_text_cut, which tells the operator how to get them whole (FULL <report_code>). A drill's
// text starts with drill_prefix, counted in the length.
std::string operator_text_quoting(const Context& ctx, std::string_view key, std::map<std::string, std::string> values,
                                  const std::string& report_code, bool exercise);

// Queues one text to a configured operator, in the operator priority class.
void text_operator(pqxx::work& tx, const Context& ctx, const std::string& operator_name, std::int64_t report_id,
                   const std::string& kind, const std::string& body);

}  // namespace centinela::queue
