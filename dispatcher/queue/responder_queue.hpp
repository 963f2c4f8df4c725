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
  std::optional<PhoneNumber> reporter;  // absent for anonymous web reports
  std::string text;
  std::string region_id;              // empty: unknown, goes to the operators at the top
  bool exercise = false;              // a drill: its alert can only reach the test group
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
};

// `region_id` (may be empty) sets the region of a report that had none; `summary` is what
// members will read (empty: the template's default summary).
Decision confirm_report(pqxx::work& tx, const Context& ctx, const Actor& actor,
                        const std::string& code, const std::string& region_id,
                        const std::string& summary);
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

// Reports in `status` that the operator covers, oldest first.
std::vector<ReportView> list_reports(pqxx::transaction_base& tx, const Context& ctx,
                                     const config::Operator& op, const std::string& status,
                                     int limit);

}  // namespace centinela::queue
