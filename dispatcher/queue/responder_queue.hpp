// The responder queue: nothing is broadcast on a stranger's word. A report waits here until the
// operators of its region confirm it (the configured number of them) or one rejects it. Every
// step is written to the audit trail in the same transaction as its effect.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "providers/common/phone.hpp"

namespace centinela::queue {

struct NewReport {
  std::string source;                 // "sms" | "api"
  // The number the report came from, proven by the provider that delivered it (SMS only). It is
  // screened by the flood guard, earns or loses trust, and can be asked questions (MORE).
  std::optional<PhoneNumber> reporter;
  std::string text;
  std::string region_id;              // empty: unknown, goes to the operators at the top
  bool exercise = false;              // a drill: its alert can only reach the test group
  // A web form's contact_phone: typed by whoever filled the form, never proven. Only a number to
  // call back (stored encrypted): it never bypasses screening, never earns or loses anyone's trust
  // and never counts toward a real number's limits.
  std::optional<PhoneNumber> contact;
};

struct FiledReport {
  std::int64_t id = 0;
  std::string code;
  std::string region_id;
  int operators_notified = 0;
  bool quarantined = false;  // stored, listed for operators, but paged no one (flood defense)
  std::string incident_code;  // the head of the incident it joined; empty: it heads a new one
};

// Stores the report. A report of the same area as an open incident (same region, parent or
// child, within incidents.window) joins it: only the incident's owner hears of it. Otherwise it
// heads a new incident and pages the first tier with somebody on call (queue/paging.hpp), unless
// the flood guard quarantines it (queue/flood_guard.hpp): then it only waits in the queue.
FiledReport file_report(pqxx::work& tx, const Context& ctx, const NewReport& report,
                        const std::string& actor, const std::string& channel);

struct Actor {
  const config::Operator& op;
  std::string channel;  // "sms" | "api"
  std::string name() const { return "operator:" + op.name; }
};

enum class Outcome {
  confirmation_recorded,  // more confirmations are needed
  alert_created,
  rejected,
  unknown_report,
  not_your_region,
  unknown_region,         // the region the operator named does not exist
  needs_region,           // the report has no region and the operator did not give one
  already_decided,
  evidence_missing,       // YES refused: `missing` lists the checklist fields still empty
  claimed,                // CLAIM: the operator owns the incident for `lease_minutes`
  claim_held,             // CLAIM refused: `holder` owns it
  evidence_recorded,
  note_recorded,
  advisory_sent,          // unverified: told coordinators and observers, never members
  question_sent,          // MORE: relayed to the reporter
  no_reporter,            // MORE on a report that has no number (web form)
  moved,                  // MOVE: the incident now belongs to `region_id`; earlier confirmations are void
  region_differs,         // a confirmation naming another region than the report's: MOVE it first
};

struct Decision {
  Outcome outcome = Outcome::unknown_report;
  std::string code;
  std::string status;     // the report's status after the decision
  std::string region_id;
  int confirmations = 0;
  int required = 0;
  std::int64_t alert_id = 0;
  std::string holder;                // claim_held: who owns it
  std::vector<std::string> missing;  // evidence fields YES still needs
  int lease_minutes = 0;             // claimed
  int recipients = 0;                // advisory_sent: coordinators and observers texted
  long long members = 0;             // confirmations, alerts and moves: members the alert goes to
  int voided = 0;                    // moved: confirmations given for the old region, now void
};

// What an operator said with YES (or the API's confirm).
struct Confirmation {
  std::string summary;  // the words after the id, as written: what members read
  // A region the words start with (SMS: a region keyword), or the API's "region". It sets the region
  // of a report whose region is unknown. Naming the report's own region, it is dropped from the
  // words; naming another, it stays part of them (a street can share its name with a region):
  // moving a report is MOVE's job, never a side effect of a confirmation.
  std::string region_id;
  std::string summary_after_region;  // the words without that region keyword
  bool region_explicit = false;      // the API's "region": meant as a region, so a different one is refused
};

// A confirmation toward the quorum; the last one creates the alert. See Confirmation for how a
// region in the words is read; empty words: the template's default summary.
Decision confirm_report(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                        const Confirmation& confirmation);

// MOVE <id> <keyword>: the incident now belongs to `region_id` (the operator must cover both).
// Confirmations given for the old region do not vouch for the new audience: they are voided and
// the quorum starts again. Never confirms anything by itself.
Decision move_report(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                     const std::string& region_id);

// Active members an alert of `region_id` would reach now (its test group for an exercise).
long long audience_size(pqxx::transaction_base& tx, const Context& ctx, const std::string& region_id, bool exercise);
Decision reject_report(pqxx::work& tx, const Context& ctx, const Actor& actor,
                       const std::string& code, const std::string& reason);

struct ReportView {
  std::string code;
  std::string region_id;
  std::string source;
  std::string status;
  std::string text;  // decrypted for the operator who is verifying it
  std::int64_t created_at_us = 0;
  int confirmations = 0;
  bool quarantined = false;
  std::string quarantine_reason;  // empty unless quarantined
  std::int64_t flood_group = 0;   // 0: not part of a possible coordinated flood
  std::string incident;           // the head report's code (its own code when it heads one)
  int incident_reports = 1;       // reports in the incident
  std::string claimed_by;         // empty: unclaimed
  std::int64_t claim_expires_at_us = 0;
  int escalation_tier = 1;
  std::string verification_level;  // "", verified, unverified, rejected
  std::map<std::string, std::string> evidence;  // the checklist, decrypted
  bool exercise = false;
};

struct ReportAction {
  std::int64_t at_us = 0;
  std::string actor;
  std::string channel;
  std::string action;
  std::string detail;
};

struct ReportTimeline {
  ReportView report;
  std::int64_t alert_id = 0;  // 0: no alert (yet)
  std::vector<ReportAction> actions;  // oldest first: the audit trail
};

// The report and every action on it, if it exists and the operator covers its region (a report
// outside the operator's regions is reported as absent).
std::optional<ReportTimeline> report_timeline(pqxx::transaction_base& tx, const Context& ctx,
                                              const config::Operator& op, const std::string& code);

// FULL <id>: the report's whole text as operator_full_text messages, each within one SMS
// (pages cut long texts; the API always has the whole). Empty when the report does not exist or
// lies outside the operator's regions.
std::vector<std::string> report_full_text(pqxx::transaction_base& tx, const Context& ctx, const config::Operator& op,
                                          const std::string& code);

// Reports in `status` that the operator covers, oldest first.
std::vector<ReportView> list_reports(pqxx::transaction_base& tx, const Context& ctx,
                                     const config::Operator& op, const std::string& status,
                                     int limit);

}  // namespace centinela::queue
