// Pure parsing and validation of API request bodies: strings in, values or ApiError out, so every
// bad-input case is a unit test away.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "dispatcher/core/region_tree.hpp"
#include "providers/common/phone.hpp"
#include "providers/common/web_request.hpp"

namespace centinela::api {

struct ApiError {
  int status;        // 400 malformed, 401, 403, 404, 409, 413, 422 well-formed but invalid
  std::string code;  // machine-readable
  std::string message;
};

inline constexpr std::size_t max_report_chars = 1600;  // one long SMS; longer is not a sighting

struct NewReportRequest {
  std::string text;
  std::string region_id;  // resolved: from "region", or "zip", or empty (to be guessed)
  std::optional<PhoneNumber> contact;
};
std::variant<NewReportRequest, ApiError> parse_new_report(std::string_view body, const RegionTree& regions);

struct DecisionRequest {
  std::string summary;    // confirm: what members read; reject: the reason
  std::string region_id;  // confirm only: set the region of a report that had none
};
// An empty body is a decision without details.
std::variant<DecisionRequest, ApiError> parse_decision(std::string_view body, const RegionTree& regions);

// {"region": "<region id>"}: the region a report moves to; 422 unknown_region when there is none.
std::variant<std::string, ApiError> parse_move(std::string_view body, const RegionTree& regions);

// {"<key>": "..."}: one string field, required non-blank unless `optional`, at most `max` bytes.
std::variant<std::string, ApiError> parse_text_field(std::string_view body, const char* key, std::size_t max,
                                                     bool optional = false);

// {"agency": "...", "where": "..."}: evidence checklist fields (config/evidence.hpp), at least one.
std::variant<std::map<std::string, std::string>, ApiError> parse_evidence(std::string_view body);

// {"on_call": true|false}
std::variant<bool, ApiError> parse_duty(std::string_view body);

// "Authorization: Bearer <token>" -> token; empty when absent or another scheme.
std::string_view bearer_token(const WebRequest& req);

// The first value of `name` in the request's query string, percent-decoded.
std::optional<std::string> query_param(const WebRequest& req, std::string_view name);

}  // namespace centinela::api
