// Durable one-off texts (operator notifications, replies): queued in the same transaction as the
// event that caused them, so a crash can delay them but never lose them.
#pragma once

#include <cstdint>
#include <string>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "providers/common/phone.hpp"

namespace centinela::storage {

// The order in which queued texts leave: urgent ones first (operator notifications,
// escalations, answers to operators, and the opt-out confirmation the carriers' rules want within
// minutes), then member alerts (deliveries), then routine replies to members (join
// confirmations, help). Stored in outbox.priority; alert deliveries sit between the two classes.
enum class TextPriority : int { urgent = 0, routine = 2 };

struct OneOffText {
  std::string kind;            // "reply", "operator_new_report", "advisory", ...
  std::int64_t report_id = 0;  // the report it is about; 0: none
  PhoneNumber to;
  std::string body;
  TextPriority priority = TextPriority::urgent;
  // One of our sending numbers that must send it (a reply leaves from the number the person
  // texted); empty: any sender.
  std::string from_number;
};

// Queued with its deadline, until which a transient provider failure is retried: a text about a
// report for alerts.expiry (and only while the report is pending, see claim_texts), any other for
// alerts.reply_expiry.
void enqueue_text(pqxx::work& tx, const Context& ctx, const OneOffText& text);

}  // namespace centinela::storage
