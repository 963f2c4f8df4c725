#include "dispatcher/queue/paging.hpp"

#include <algorithm>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "dispatcher/queue/on_call.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using config::OperatorRole;

std::vector<const config::Operator*> with_role(const std::vector<const config::Operator*>& ops, OperatorRole role,
                                               const std::set<std::string>& on_call) {
  std::vector<const config::Operator*> out;
  for (const auto* op : ops)
    if (op->role == role && on_call.count(op->name)) out.push_back(op);
  return out;
}

std::vector<const config::Operator*> coordinators_above(const Context& ctx, const std::string& region_id) {
  const auto* region = ctx.regions().find(region_id);
  const std::string above = region && !region->parent.empty() ? region->parent : region_id;
  std::vector<const config::Operator*> out;
  for (const auto* op : operators_for(ctx, above))
    if (op->role == OperatorRole::coordinator) out.push_back(op);
  return out;
}

}  // namespace

std::vector<const config::Operator*> operators_for(const Context& ctx, const std::string& region_id) {
  std::vector<const config::Operator*> out;
  for (const auto& op : ctx.config().operators)
    if (ctx.regions().covers_report(op.regions, region_id)) out.push_back(&op);
  return out;
}

std::vector<const config::Operator*> tier_operators(const Context& ctx, const std::string& region_id, int tier,
                                                    const std::set<std::string>& on_call) {
  const auto covering = operators_for(ctx, region_id);
  if (tier == 1) return with_role(covering, OperatorRole::responder, on_call);
  if (tier == 2) return with_role(covering, OperatorRole::backup, on_call);
  auto coordinators = coordinators_above(ctx, region_id);
  return coordinators.empty() ? covering : coordinators;
}

std::vector<std::string> paged_operators(pqxx::transaction_base& tx, std::int64_t report_id) {
  std::vector<std::string> out;
  for (const auto& row : tx.exec_params("SELECT operator FROM report_pages WHERE report_id = $1 ORDER BY at, operator",
                                        report_id))
    out.push_back(row[0].as<std::string>());
  return out;
}

std::string drill_prefix(const Context& ctx, bool exercise) {
  return exercise ? ctx.render(ctx.config().default_language, "exercise_prefix") + " " : std::string{};
}

std::string operator_text_quoting(const Context& ctx, std::string_view key, std::map<std::string, std::string> values,
                                  const std::string& report_code, bool exercise) {
  const auto& language = ctx.config().default_language;
  return ctx.render_within_limit(language, key, std::move(values), "text",
                                 ctx.render(language, "operator_text_cut", {{"id", report_code}}),
                                 drill_prefix(ctx, exercise));
}

void text_operator(pqxx::work& tx, const Context& ctx, const std::string& operator_name, std::int64_t report_id,
                   const std::string& kind, const std::string& body) {
  const auto* op = ctx.operator_by_name(operator_name);
  if (!op) {
    // Removed from config since they were paged: nobody to text. Said, not swallowed.
    spdlog::warn("event=operator_gone operator={} kind={}", operator_name, kind);
    return;
  }
  storage::enqueue_text(tx, ctx, {kind, report_id, PhoneNumber{op->phone}, body});
}

PageResult page_next_tier(pqxx::work& tx, const Context& ctx, const PageRequest& request) {
  const auto now = ctx.clock().now();
  const auto on_call = operators_on_call(tx, ctx, now);
  const auto already = paged_operators(tx, request.report_id);
  PageResult result;
  for (int tier = std::max(request.from_tier, first_tier); tier <= last_tier; ++tier) {
    for (const auto* op : tier_operators(ctx, request.region_id, tier, on_call)) {
      if (std::find(already.begin(), already.end(), op->name) != already.end()) continue;
      tx.exec_params(
          "INSERT INTO report_pages (report_id, operator, tier, at) VALUES ($1, $2, $3, to_timestamp($4 / 1e6)) "
          "ON CONFLICT DO NOTHING",
          request.report_id, op->name, tier, storage::to_micros(now));
      storage::enqueue_text(tx, ctx, {request.kind, request.report_id, PhoneNumber{op->phone}, request.body});
      ++result.paged;
    }
    if (result.paged > 0) {
      result.tier = tier;
      return result;
    }
  }
  return result;
}

}  // namespace centinela::queue
