// Twilio's error codes and message statuses as data: a new code is one row and one test case.
// Sources: ../shared/providers.md §1 (courier errors.json, Twilio error pages) and STYLE 2.10.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "providers/provider.hpp"

namespace centinela::providers::twilio {

struct CodeRule {
  int code;
  SendClass cls;
  std::string_view meaning;  // short and safe for logs and SendOutcome::detail
};

// "config" codes are permanent for the message: retrying cannot help until an operator fixes the
// account, and the fan-out must move on to the next member.
inline constexpr std::array error_rules{
    CodeRule{20003, SendClass::permanent, "authentication failed (check account_sid/auth_token)"},
    CodeRule{20404, SendClass::permanent, "resource not found (check account_sid)"},
    CodeRule{20429, SendClass::throttled, "too many requests"},
    CodeRule{21211, SendClass::permanent, "invalid To number"},
    CodeRule{21408, SendClass::permanent, "To region not enabled (geo permissions)"},
    CodeRule{21606, SendClass::permanent, "From number cannot send to this destination"},
    CodeRule{21608, SendClass::permanent, "To number unverified (trial account)"},
    CodeRule{21610, SendClass::opted_out, "recipient replied STOP"},
    CodeRule{21611, SendClass::throttled, "too many messages queued on this From number"},
    CodeRule{21612, SendClass::permanent, "To number not reachable by SMS"},
    CodeRule{21614, SendClass::permanent, "To number is not a mobile number"},
    CodeRule{21617, SendClass::permanent, "body longer than 1600 characters"},
    CodeRule{30001, SendClass::retryable, "queue overflow"},
    CodeRule{30003, SendClass::retryable, "handset unreachable"},
    CodeRule{30004, SendClass::permanent, "message blocked"},
    CodeRule{30005, SendClass::permanent, "unknown handset"},
    CodeRule{30006, SendClass::permanent, "landline or unreachable carrier"},
    // Blind retries of filtered content burn the sender's reputation and rate budget.
    CodeRule{30007, SendClass::permanent, "carrier filtered"},
    CodeRule{30008, SendClass::retryable, "unknown error"},
    CodeRule{30022, SendClass::retryable, "10DLC rate limit exceeded"},
    CodeRule{30023, SendClass::retryable, "10DLC daily cap reached"},
    CodeRule{30032, SendClass::permanent, "toll-free number not verified"},
    CodeRule{30034, SendClass::permanent, "unregistered 10DLC number"},
    // ValidityPeriod is set to the alert's expiry, so an expired message is an expired alert.
    CodeRule{30036, SendClass::permanent, "validity period expired"},
};

constexpr const CodeRule* find_code(int code) {
  for (const auto& rule : error_rules) {
    if (rule.code == code) return &rule;
  }
  return nullptr;
}

// What a failed send means. A known code decides; otherwise 429 is throttled, 5xx and transport
// failures (http_status 0) are retryable and any other status is permanent (the caller logs the unknown
// code so a row can be added).
// The class of a known code (also for ErrorCode in status callbacks: 21610 there is an opt-out).
constexpr std::optional<SendClass> code_class(int code) {
  for (const auto& rule : error_rules) {
    if (rule.code == code) return rule.cls;  // no pointer test: keeps this constexpr under UBSan
  }
  return std::nullopt;
}

constexpr SendClass classify_error(int http_status, int code) {
  if (const auto cls = code_class(code)) return *cls;
  if (http_status == 429) return SendClass::throttled;
  if (http_status == 0 || http_status >= 500) return SendClass::retryable;
  return SendClass::permanent;
}

struct StatusRule {
  std::string_view status;
  ReceiptState state;
};

// MessageStatus of a status callback. accepted/scheduled come from Messaging Services; "read" is
// a delivery confirmation (RCS/WhatsApp). receiving/received are inbound and partially_delivered
// is multi-part media: none of them is a state of an SMS we sent, so they are absent on purpose.
inline constexpr std::array status_rules{
    StatusRule{"accepted", ReceiptState::queued},     StatusRule{"scheduled", ReceiptState::queued},
    StatusRule{"queued", ReceiptState::queued},       StatusRule{"sending", ReceiptState::queued},
    StatusRule{"sent", ReceiptState::sent},           StatusRule{"delivered", ReceiptState::delivered},
    StatusRule{"read", ReceiptState::delivered},      StatusRule{"undelivered", ReceiptState::undelivered},
    StatusRule{"failed", ReceiptState::failed},       StatusRule{"canceled", ReceiptState::failed},
};

constexpr std::optional<ReceiptState> map_status(std::string_view status) {
  for (const auto& rule : status_rules) {
    if (rule.status == status) return rule.state;
  }
  return std::nullopt;
}

}  // namespace centinela::providers::twilio
