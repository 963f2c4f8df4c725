// UPDATE, CLEAR and RETRACT of an alert, by SMS or API. A follow-up is an alert of its own
// (msg_type update | clear | retract) that refers to the original and shares its head report:
// - UPDATE and CLEAR reach exactly the members whose original was sent or delivered. Members whose
//   original is still on its way get the follow-up once theirs is sent (the materializer keeps
//   growing the follow-up until the original's fan-out is over); a member whose original failed,
//   expired or was cancelled never gets it.
// - CLEAR closes the original (state 'cleared'): its queued texts, and those of its updates, are
//   cancelled and no text of them leaves any more.
// - RETRACT closes the original at once (state 'retracted', queued texts cancelled, retries
//   included) and, in the same transaction, queues a correction for everyone already or possibly
//   texted (sent, delivered, sending, or resent after a crash); corrections go before any other
//   alert's texts.
// A follow-up of an exercise is an exercise too. Every follow-up is audited on the head report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <pqxx/transaction>

#include "config/config.hpp"
#include "dispatcher/core/context.hpp"

namespace centinela::alerts {

enum class FollowUpKind { update, clear, retract };

// "update", "clear", "retract": the msg_type stored and the word operators type.
std::string_view kind_name(FollowUpKind kind);

enum class FollowUpOutcome {
  sent,               // the follow-up exists and is queued (or being planned)
  unknown_alert,      // no such alert
  not_your_region,    // the operator's regions do not cover the alert's region
  already_cleared,    // the original was cleared: nothing more may be sent about it
  already_retracted,  // the original was retracted
  text_required,      // UPDATE needs words (CLEAR and RETRACT fall back to the original summary)
  held,               // an UPDATE to more than verification.second_approver_above members: it waits
                      // for another operator's APPROVE (a CLEAR or RETRACT never waits)
  approved,           // APPROVE: the held update is going out
  nothing_to_approve, // APPROVE with no update held
  same_operator,      // APPROVE by the operator who wrote the update: a second one is needed
};

struct FollowUpResult {
  FollowUpOutcome outcome = FollowUpOutcome::unknown_alert;
  std::int64_t alert_id = 0;     // the new follow-up alert (outcome sent)
  std::int64_t original_id = 0;  // the alert it refers to (0: unknown)
  std::string report_code;       // the head report's code
  std::string region_id;
  bool exercise = false;
  long long members = 0;  // members it reaches now (RETRACT: everyone it will reach)
  long long pending = 0;  // UPDATE/CLEAR: originals still on their way; these members get it if theirs is sent
};

// `alert_id` may name the original or one of its follow-ups (it then refers to the original).
// `channel`: "sms" or "api" (for the audit trail). Commit, then wake the fan-out.
FollowUpResult send_follow_up(pqxx::work& tx, const Context& ctx, const config::Operator& op,
                              const std::string& channel, std::int64_t alert_id, FollowUpKind kind,
                              const std::string& text);

// APPROVE: a second operator releases the update held for the alert (or the alert it refers to);
// result.members counts who it reaches.
FollowUpResult approve_follow_up(pqxx::work& tx, const Context& ctx, const config::Operator& op,
                                 const std::string& channel, std::int64_t alert_id);

// The original alert (msg_type 'alert') of the incident any of whose report codes is given: the
// alert hangs on the incident's head report. Case-insensitive code. nullopt: no alert (yet).
std::optional<std::int64_t> alert_for_report(pqxx::transaction_base& tx, const std::string& report_code);

}  // namespace centinela::alerts
