// Provider webhooks: verify the signature before anything else, apply the effect durably, and
// only then answer 2xx (a provider retries what we do not acknowledge).
#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/api/handlers.hpp"
#include "dispatcher/fanout/text_store.hpp"
#include "dispatcher/intake/inbound_sms.hpp"
#include "dispatcher/storage/db_failure.hpp"
#include "dispatcher/storage/safe_error.hpp"

namespace centinela::api {
namespace {

struct VerifiedProvider {
  providers::Provider* provider = nullptr;
  std::optional<WebResponse> refusal;
};

VerifiedProvider verify(const WebRequest& req, ApiContext& api, const PathParams& params) {
  const auto it = api.providers.find(params.at("provider"));
  if (it == api.providers.end()) return {nullptr, error_response(404, "unknown_provider", "no such provider")};
  const auto public_url = api.ctx.config().server.public_base_url + req.target;
  if (!it->second->verify_signature(req, public_url)) {
    spdlog::warn("event=webhook_bad_signature provider={} path={}", it->first,
                 std::string_view(req.target).substr(0, req.target.find('?')));
    return {nullptr, error_response(403, "bad_signature", "the webhook signature does not match")};
  }
  return {it->second.get(), std::nullopt};
}

}  // namespace

asio::awaitable<WebResponse> handle_inbound_sms(const WebRequest& req, ApiContext& api, const PathParams& params) {
  auto verified = verify(req, api, params);
  if (verified.refusal) co_return *verified.refusal;
  const auto sms = verified.provider->parse_inbound(req);
  if (!sms && sms.error() == providers::InboundError::invalid_phone)
    co_return error_response(422, "invalid_phone", "the sender or recipient is not a phone number (E.164 of a possible length)");
  if (!sms) co_return error_response(400, "malformed_webhook", "the inbound message lacks a sender, id or body");
  const std::string provider(verified.provider->name());
  const auto result = co_await api.db.run(
      [&](pqxx::connection& c) { return intake::apply_inbound_sms(c, api.ctx, provider, *sms); });
  if (result.alert_created || result.texts_queued) api.fanout.wake();
  // The reply (if any) is in the outbox: the answer itself says nothing, so the provider sends
  // nothing outside our pacing (for Twilio an empty <Response/>).
  const auto answer = verified.provider->answer_inbound("");
  co_return WebResponse{200, answer.content_type, answer.body, {}};
}

asio::awaitable<WebResponse> handle_status_callback(const WebRequest& req, ApiContext& api,
                                                    const PathParams& params) {
  auto verified = verify(req, api, params);
  if (verified.refusal) co_return *verified.refusal;
  const auto receipt = verified.provider->parse_receipt(req);
  if (!receipt) co_return error_response(400, "malformed_webhook", "the status callback lacks an id or status");
  const std::string provider(verified.provider->name());
  co_await api.db.run([&](pqxx::connection& c) {
    fanout::apply_receipt(c, provider, *receipt, api.ctx.clock().now());
  });
  co_return WebResponse{204, "text/plain", {}, {}};
}

// A readiness probe: 503 (with Retry-After, like every request that needs the database) while
// PostgreSQL cannot be reached; anything else that fails is a bug and goes to the edge's 500.
asio::awaitable<WebResponse> handle_health(const WebRequest&, ApiContext& api, const PathParams&) {
  try {
    co_await api.db.run([](pqxx::connection& c) {
      pqxx::nontransaction tx{c};
      tx.exec("SELECT 1");
    });
  } catch (const std::exception& e) {
    if (!storage::is_database_unavailable(e)) throw;
    spdlog::warn("event=health_db_failed what={}", storage::safe_what(e));
    co_return unavailable_response("the database does not answer");
  }
  co_return json_response(200, {{"status", "ok"}});
}

}  // namespace centinela::api
