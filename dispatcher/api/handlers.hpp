// Every HTTP endpoint's handler. Each one is thin: authenticate, parse with a pure function, run
// one use case on the database pool, map the outcome to a response.
#pragma once

#include "dispatcher/api/router.hpp"

namespace centinela::api {

asio::awaitable<WebResponse> handle_health(const WebRequest&, ApiContext&, const PathParams&);

// Provider webhooks: /webhooks/{provider}/sms and /webhooks/{provider}/status.
asio::awaitable<WebResponse> handle_inbound_sms(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_status_callback(const WebRequest&, ApiContext&, const PathParams&);

// Web-form intake (intake bearer token).
asio::awaitable<WebResponse> handle_create_report(const WebRequest&, ApiContext&, const PathParams&);

// Operator API (operator bearer token, scoped to the operator's regions).
asio::awaitable<WebResponse> handle_list_reports(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_get_report(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_confirm_report(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_reject_report(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_move_report(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_claim_report(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_report_evidence(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_report_note(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_report_advisory(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_report_question(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_set_duty(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_get_alert(const WebRequest&, ApiContext&, const PathParams&);
// Follow-ups of an alert, {"text": "..."}: 201 with the new alert's id (see alerts/followup.hpp).
asio::awaitable<WebResponse> handle_update_alert(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_clear_alert(const WebRequest&, ApiContext&, const PathParams&);
asio::awaitable<WebResponse> handle_retract_alert(const WebRequest&, ApiContext&, const PathParams&);
// A second operator releases an UPDATE held for approval (verification.second_approver_above).
asio::awaitable<WebResponse> handle_approve_alert(const WebRequest&, ApiContext&, const PathParams&);

}  // namespace centinela::api
