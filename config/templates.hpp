// Every message Centinela sends, by template key, with the placeholders each may use. The
// dispatcher renders only these keys; check-config rejects unknown keys and placeholders.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace centinela::config {

struct TemplateSpec {
  std::string_view key;
  std::string_view placeholders;  // space-separated names usable as {name}
  std::string_view purpose;
  // The English text used when the configuration has none (templates added after a network wrote
  // its configuration must not stop it from starting). Empty: the default language must have it.
  std::string_view builtin = {};
};

inline constexpr std::array template_specs{
    // To members. Never carries the reporter's raw text (it may hold names or numbers).
    TemplateSpec{"alert", "region time summary", "verified raid alert sent to members"},
    TemplateSpec{"alert_default_summary", "", "{summary} of an alert confirmed without one"},
    TemplateSpec{"join_confirm_request", "region", "asks a new member to reply YES to JOIN (double opt-in)"},
    TemplateSpec{"join_ok", "region", "confirms JOIN once the member replied YES"},
    TemplateSpec{"join_expired", "region keyword", "a YES that came after the JOIN's confirmation window"},
    TemplateSpec{"join_unknown_region", "keywords", "JOIN with a keyword we do not know"},
    TemplateSpec{"leave_ok", "region regions", "confirms LEAVE <area>; {regions} are the areas kept"},
    TemplateSpec{"leave_ok_last", "region", "confirms LEAVE of the member's last area"},
    TemplateSpec{"leave_not_member", "region", "LEAVE <area> for an area the member is not in"},
    TemplateSpec{"leave_unknown_region", "keywords", "LEAVE without a known area keyword"},
    TemplateSpec{"language_ok", "", "confirms a language change, in the new language"},
    TemplateSpec{"stop_ok", "", "the single opt-out confirmation"},
    TemplateSpec{"start_ok", "", "confirms START after an opt-out"},
    TemplateSpec{"help", "contact keywords", "answer to HELP"},
    TemplateSpec{"report_received", "", "reply to someone who sent a sighting"},
    TemplateSpec{"alert_update", "region time summary", "UPDATE: news on an alert, to exactly the members who got it"},
    TemplateSpec{"alert_clear", "region time summary", "CLEAR: the all-clear, to exactly the members who got the alert"},
    TemplateSpec{"alert_retract", "region time summary", "RETRACT: the correction of a false alert, to the members already texted"},
    TemplateSpec{"exercise_prefix", "", "put before every text of a drill (exercise mode)"},
    TemplateSpec{"reporter_question", "question", "MORE: a responder's question relayed to the reporter"},
    // To coordinators and legal observers.
    TemplateSpec{"advisory", "id region summary", "an unverified advisory: never sent to members"},
    // To operators.
    TemplateSpec{"operator_new_report", "id region text", "a report waiting for verification"},
    TemplateSpec{"operator_confirmed", "id confirmations required region members", "ack of YES"},
    TemplateSpec{"operator_alert_sent", "id region members", "ack of the YES that created the alert"},
    TemplateSpec{"operator_rejected", "id", "ack of NO"},
    TemplateSpec{"operator_report_filed", "id", "ack of REPORT"},
    TemplateSpec{"operator_unknown_report", "id", "YES/NO with an id that does not exist"},
    TemplateSpec{"operator_not_your_region", "id", "YES/NO on a report outside the operator's regions"},
    TemplateSpec{"operator_already_decided", "id status", "YES/NO on a closed report"},
    TemplateSpec{"operator_needs_region", "id keywords", "YES on a report whose region is unknown"},
    TemplateSpec{"operator_help", "", "any other text from an operator"},
    TemplateSpec{"operator_escalated", "id region text waited", "a report still unclaimed or undecided, paged to the next tier"},
    TemplateSpec{"operator_incident_report", "id incident count text", "a further report joined an incident (to its owner)"},
    TemplateSpec{"operator_on_call", "", "ack of ON"},
    TemplateSpec{"operator_off_call", "", "ack of OFF"},
    TemplateSpec{"operator_claimed", "id minutes", "ack of CLAIM: the operator owns the report for the lease"},
    TemplateSpec{"operator_claim_taken", "id operator", "to the others paged: someone claimed the report"},
    TemplateSpec{"operator_claim_held", "id operator", "CLAIM refused: another operator holds the report"},
    TemplateSpec{"operator_claim_lapsed", "id", "to an owner whose claim lapsed after silence"},
    TemplateSpec{"operator_note_recorded", "id", "ack of NOTE"},
    TemplateSpec{"operator_evidence_recorded", "id missing", "ack of an evidence field; {missing} lists what YES still needs"},
    TemplateSpec{"operator_evidence_missing", "id missing", "YES refused until these evidence fields are filled"},
    TemplateSpec{"operator_advisory_sent", "id", "ack of ADVISORY: coordinators and observers were told"},
    TemplateSpec{"operator_question_sent", "id", "ack of MORE: the question went to the reporter"},
    TemplateSpec{"operator_no_reporter", "id", "MORE on a report with no number to ask (web form)"},
    TemplateSpec{"operator_reporter_reply", "id text", "the reporter's answer to MORE, relayed"},
    TemplateSpec{"operator_followup_sent", "id kind", "ack of UPDATE, CLEAR or RETRACT"},
    TemplateSpec{"operator_no_alert", "id", "UPDATE/CLEAR/RETRACT on a report with no alert"},
    TemplateSpec{"operator_update_held", "id recipients", "an UPDATE to many members waits for a second operator's APPROVE"},
    TemplateSpec{"operator_approval_needed", "id operator recipients text", "to the other operators: an UPDATE waits for APPROVE <id>"},
    TemplateSpec{"operator_update_approved", "id recipients", "ack of APPROVE: the update is going out"},
    TemplateSpec{"operator_nothing_to_approve", "id", "APPROVE with no update waiting"},
    TemplateSpec{"operator_unknown_region", "id keywords", "MOVE <id> with a word that is no region's keyword",
                 "No region has that keyword. Reply MOVE {id} KEYWORD with one of: {keywords}"},
    TemplateSpec{"operator_moved", "id region members voided", "ack of MOVE <id> <keyword>",
                 "Report {id} moved to {region}: its alert would reach {members} members. Earlier confirmations "
                 "void: {voided}. Reply YES {id} [summary] to confirm."},
    TemplateSpec{"operator_full_text", "id part parts text", "FULL <id>: one part of the report's whole text",
                 "{id} ({part}/{parts}): {text}"},
    TemplateSpec{"operator_text_cut", "id", "ends a report's text cut to fit in one SMS",
                 " [cut: text FULL {id} for the rest]"},
};

inline const TemplateSpec* find_template_spec(std::string_view key) {
  for (const auto& s : template_specs)
    if (s.key == key) return &s;
  return nullptr;
}

}  // namespace centinela::config
