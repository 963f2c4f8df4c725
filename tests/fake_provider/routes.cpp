// Route table and handlers of the fake provider (see routes.hpp).
#include "tests/fake_provider/routes.hpp"

#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

namespace centinela::fake_provider {
namespace {

constexpr std::string_view json_type = "application/json; charset=utf-8";

Response make_response(http::status status, std::string body, const Request& req) {
  Response res{status, req.version()};
  res.set(http::field::content_type, json_type);
  res.body() = std::move(body);
  return res;
}

Outcome twilio_error(const TwilioError& e, const Request& req) {
  return {make_response(static_cast<http::status>(e.http_status), error_json(e), req)};
}

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// '*' matches exactly one path segment: "/2010-04-01/Accounts/*/Messages.json".
bool path_matches(std::string_view pattern, std::string_view path, std::string_view* wildcard) {
  const auto star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == path;
  const std::string_view head = pattern.substr(0, star), tail = pattern.substr(star + 1);
  if (path.size() < head.size() + tail.size() + 1 || !path.starts_with(head) || !path.ends_with(tail)) return false;
  const std::string_view seg = path.substr(head.size(), path.size() - head.size() - tail.size());
  if (seg.find('/') != std::string_view::npos) return false;
  if (wildcard) *wildcard = seg;
  return true;
}

Outcome handle_send(const Request& req, App& app, std::string_view account_in_path) {
  Stats& stats = app.store.stats();
  if (!check_basic_auth(req[http::field::authorization], app.opts.account_sid, app.opts.auth_token)) {
    ++stats.auth_failed;
    Outcome out = twilio_error({401, 20003, "Authenticate"}, req);
    out.res.set(http::field::www_authenticate, "Basic realm=\"Twilio API\"");
    return out;
  }
  if (account_in_path != app.opts.account_sid)
    return twilio_error({404, 20404, "The requested resource was not found"}, req);

  // Faults come before validation: Twilio throttles before it looks at the message.
  const auto delay = app.faults.plan().latency;
  const auto fault = app.faults.next();
  {
    const auto fields = decode_form(req.body());
    const std::string* from = fields ? find_param(*fields, "From") : nullptr;
    static constexpr std::string_view outcomes[] = {"answered", "429", "500", "dropped"};
    app.store.log_request(unix_ms_now(), from ? *from : std::string{}, outcomes[static_cast<int>(fault)]);
  }
  switch (fault) {
    case Fault::http_429: {
      ++stats.rejected_429;
      Outcome out = twilio_error({429, 20429, "Too Many Requests"}, req);
      out.res.set(http::field::retry_after, std::to_string(app.faults.plan().retry_after_s));
      out.delay = delay;
      return out;
    }
    case Fault::http_500: {
      ++stats.rejected_500;
      Outcome out = twilio_error({500, 20500, "Internal Server Error"}, req);
      out.delay = delay;
      return out;
    }
    case Fault::drop: {
      ++stats.dropped;
      Outcome out;
      out.drop = true;
      out.delay = delay;
      return out;
    }
    case Fault::none: break;
  }

  const auto params = decode_form(req.body());
  auto checked = params ? validate_send(*params, app.opts.opted_out)
                        // A broken %-escape: no Twilio code documented for it, so a generic one.
                        : std::variant<SendRequest, TwilioError>(TwilioError{400, 20001, "Malformed form body"});
  if (auto* err = std::get_if<TwilioError>(&checked)) {
    ++stats.invalid;
    Outcome out = twilio_error(*err, req);
    out.delay = delay;
    return out;
  }
  SendRequest& send = std::get<SendRequest>(checked);
  const std::int64_t now_ms = unix_ms_now();
  std::string sid = app.sids.next();
  Outcome out{make_response(http::status::created, message_json(send, sid, app.opts.account_sid, now_ms / 1000), req)};
  out.delay = delay;
  if (!send.status_callback.empty() && app.callbacks)
    out.callback = CallbackJob{send.status_callback, sid, send.from, send.to, {}};
  app.store.add(MessageRecord{std::move(sid), std::move(send.to), std::move(send.from), std::move(send.body),
                              send.validity_period, std::move(send.status_callback), now_ms});
  return out;
}

Outcome handle_control(const Request& req, App& app, std::string_view) {
  const auto j = nlohmann::json::parse(req.body(), nullptr, /*allow_exceptions=*/false);
  if (auto err = app.faults.apply(j))
    return {make_response(http::status::bad_request, dump_json({{"error", *err}}), req)};
  return {make_response(http::status::ok, dump_json(app.faults.to_json()), req)};
}

Outcome handle_messages(const Request& req, App& app, std::string_view) {
  return {make_response(http::status::ok, app.store.messages_json(), req)};
}

Outcome handle_stats(const Request& req, App& app, std::string_view) {
  return {make_response(http::status::ok,
                        app.store.stats_json(app.callbacks ? app.callbacks->pending() : 0), req)};
}

Outcome handle_reset(const Request& req, App& app, std::string_view) {
  app.store.reset();  // the fault plan stays: tests set it explicitly with /_control
  return {make_response(http::status::ok, R"({"reset":true})", req)};
}

using Handler = Outcome (*)(const Request&, App&, std::string_view wildcard);
struct Endpoint {
  http::verb method;
  std::string_view pattern;
  Handler handler;
};
constexpr std::array endpoints{
    Endpoint{http::verb::post, "/2010-04-01/Accounts/*/Messages.json", &handle_send},
    Endpoint{http::verb::post, "/_control", &handle_control},
    Endpoint{http::verb::get, "/_messages", &handle_messages},
    Endpoint{http::verb::get, "/_stats", &handle_stats},
    Endpoint{http::verb::post, "/_reset", &handle_reset},
};

}  // namespace

Outcome route(const Request& req, App& app) {
  std::string_view path = req.target();
  path = path.substr(0, path.find('?'));
  bool path_known = false;
  for (const auto& ep : endpoints) {
    std::string_view wildcard;
    if (!path_matches(ep.pattern, path, &wildcard)) continue;
    if (ep.method == req.method()) return ep.handler(req, app, wildcard);
    path_known = true;
  }
  if (path_known) return twilio_error({405, 20004, "Method not allowed"}, req);
  return twilio_error({404, 20404, "The requested resource was not found"}, req);
}

}  // namespace centinela::fake_provider
