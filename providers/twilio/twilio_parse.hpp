// Twilio webhooks (inbound SMS, status callbacks) to Centinela values. Pure: call only after the
// signature was verified on the untouched parameters (providers.md §0.1).
#pragma once

#include <optional>
#include <string_view>

#include "providers/common/form.hpp"
#include "providers/common/web_request.hpp"
#include "providers/provider.hpp"

namespace centinela::providers::twilio {

// (From|To|Caller|Called)(City|State|Zip|Country): where a member lives is none of our business,
// and what we never keep cannot leak (providers.md §0.2).
bool is_location_field(std::string_view name);
FormFields drop_location_fields(FormFields fields);

// The webhook's parameters: the form body of a POST, the query string of a GET. nullopt when
// they do not decode.
std::optional<FormFields> webhook_params(const WebRequest& req);

// MessageSid (or the older SmsSid / SmsMessageSid), From, To and Body. Malformed when the id or a
// number is missing, or when SmsStatus says this is not a received message (a status callback
// posted to the inbound URL must not become a report); invalid_phone when From or To is not a
// phone number (providers/common/phone.hpp).
InboundParse parse_inbound(const FormFields& form);

// MessageSid/SmsSid with MessageStatus/SmsStatus mapped by status_rules; ErrorCode when present.
// nullopt for a missing id or a status that is not a state of an outbound SMS.
std::optional<DeliveryReceipt> parse_receipt(const FormFields& form);

}  // namespace centinela::providers::twilio
