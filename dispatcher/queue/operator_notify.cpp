#include "dispatcher/queue/operator_notify.hpp"

#include "dispatcher/storage/outbox.hpp"

namespace centinela::queue {

std::vector<const config::Operator*> operators_for(const Context& ctx, const std::string& region_id) {
  std::vector<const config::Operator*> out;
  for (const auto& op : ctx.config().operators) {
    const bool covers = region_id.empty() ? ctx.regions().covers_unknown(op.regions)
                                          : ctx.regions().covers(op.regions, region_id);
    if (covers) out.push_back(&op);
  }
  return out;
}

int notify_operators(pqxx::work& tx, const Context& ctx, const FiledReport& report,
                     const std::string& report_text) {
  const auto* region = ctx.regions().find(report.region_id);
  const std::string region_name = region ? region->name : "?";
  const auto& lang = ctx.config().default_language;
  const std::string body = ctx.render(
      lang, "operator_new_report", {{"id", report.code}, {"region", region_name}, {"text", report_text}});
  int notified = 0;
  for (const auto* op : operators_for(ctx, report.region_id)) {
    storage::enqueue_text(tx, ctx.cipher(), "operator_new_report", report.id, PhoneNumber{op->phone},
                          body, ctx.clock().now());
    ++notified;
  }
  return notified;
}

}  // namespace centinela::queue
