#include "dispatcher/api/request_parsing.hpp"

#include <nlohmann/json.hpp>

#include "config/evidence.hpp"
#include "providers/common/form.hpp"

namespace centinela::api {
namespace {

using nlohmann::json;

std::optional<ApiError> optional_string(const json& j, const char* key, std::string& out, std::size_t max) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  if (!j[key].is_string()) return ApiError{422, "invalid_field", std::string(key) + " must be a string"};
  out = j[key].get<std::string>();
  if (out.size() > max)
    return ApiError{422, "invalid_field", std::string(key) + " is longer than " + std::to_string(max) + " bytes"};
  return std::nullopt;
}

std::variant<json, ApiError> parse_object(std::string_view body) {
  auto j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return ApiError{400, "malformed_json", "the body is not valid JSON"};
  if (!j.is_object()) return ApiError{400, "malformed_json", "the body must be a JSON object"};
  return j;
}

std::optional<ApiError> resolve_region(const std::string& id, const RegionTree& regions) {
  if (id.empty() || regions.find(id)) return std::nullopt;
  return ApiError{422, "unknown_region", "no region has the id '" + id + "'"};
}

}  // namespace

std::variant<NewReportRequest, ApiError> parse_new_report(std::string_view body, const RegionTree& regions) {
  auto parsed = parse_object(body);
  if (auto* err = std::get_if<ApiError>(&parsed)) return *err;
  const auto& j = std::get<json>(parsed);
  NewReportRequest r;
  std::string zip, phone;
  for (const auto& [key, value] : j.items()) {
    if (key != "text" && key != "region" && key != "zip" && key != "contact_phone")
      return ApiError{422, "unknown_field", "unknown field '" + key + "'"};
  }
  if (auto e = optional_string(j, "text", r.text, max_report_chars * 4)) return *e;
  if (auto e = optional_string(j, "region", r.region_id, 64)) return *e;
  if (auto e = optional_string(j, "zip", zip, 10)) return *e;
  if (auto e = optional_string(j, "contact_phone", phone, 32)) return *e;
  if (r.text.find_first_not_of(" \t\r\n") == std::string::npos)
    return ApiError{422, "text_required", "text must describe what was seen"};
  if (r.text.size() > max_report_chars)
    return ApiError{422, "text_too_long", "text must be at most 1600 characters"};
  if (auto e = resolve_region(r.region_id, regions)) return *e;
  if (r.region_id.empty() && !zip.empty()) {
    const auto* region = regions.by_zip(zip.substr(0, 5));
    if (!region) return ApiError{422, "unknown_zip", "no region covers ZIP code " + zip.substr(0, 5)};
    r.region_id = region->id;
  }
  if (!phone.empty()) {
    r.contact = parse_phone(phone);
    if (!r.contact) return ApiError{422, "invalid_phone", "contact_phone is not a valid phone number"};
  }
  return r;
}

std::variant<DecisionRequest, ApiError> parse_decision(std::string_view body, const RegionTree& regions) {
  DecisionRequest d;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return d;
  auto parsed = parse_object(body);
  if (auto* err = std::get_if<ApiError>(&parsed)) return *err;
  const auto& j = std::get<json>(parsed);
  for (const auto& [key, value] : j.items()) {
    if (key != "summary" && key != "region" && key != "reason")
      return ApiError{422, "unknown_field", "unknown field '" + key + "'"};
  }
  if (auto e = optional_string(j, "summary", d.summary, 480)) return *e;
  if (d.summary.empty()) {
    if (auto e = optional_string(j, "reason", d.summary, 480)) return *e;
  }
  if (auto e = optional_string(j, "region", d.region_id, 64)) return *e;
  if (auto e = resolve_region(d.region_id, regions)) return *e;
  return d;
}

std::variant<std::string, ApiError> parse_move(std::string_view body, const RegionTree& regions) {
  auto region = parse_text_field(body, "region", 64);
  if (const auto* id = std::get_if<std::string>(&region)) {
    if (auto e = resolve_region(*id, regions)) return *e;
  }
  return region;
}

std::variant<std::string, ApiError> parse_text_field(std::string_view body, const char* key, std::size_t max,
                                                     bool optional) {
  std::string text;
  if (optional && body.find_first_not_of(" \t\r\n") == std::string_view::npos) return text;
  auto parsed = parse_object(body);
  if (auto* err = std::get_if<ApiError>(&parsed)) return *err;
  const auto& j = std::get<json>(parsed);
  for (const auto& [name, value] : j.items())
    if (name != key) return ApiError{422, "unknown_field", "unknown field '" + name + "'"};
  if (auto e = optional_string(j, key, text, max)) return *e;
  if (!optional && text.find_first_not_of(" \t\r\n") == std::string::npos)
    return ApiError{422, "text_required", std::string(key) + " is required"};
  return text;
}

std::variant<std::map<std::string, std::string>, ApiError> parse_evidence(std::string_view body) {
  auto parsed = parse_object(body);
  if (auto* err = std::get_if<ApiError>(&parsed)) return *err;
  const auto& j = std::get<json>(parsed);
  std::map<std::string, std::string> fields;
  for (const auto& [name, value] : j.items()) {
    if (!config::is_evidence_field(name))
      return ApiError{422, "unknown_field", "'" + name + "' is not an evidence field (what, where, when, agency, vehicles, corroboration)"};
    std::string text;
    if (auto e = optional_string(j, name.c_str(), text, 480)) return *e;
    // A blank field is no evidence: it must not satisfy verification.required_evidence.
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
      return ApiError{422, "invalid_field", name + " must describe what was checked"};
    fields[name] = std::move(text);
  }
  if (fields.empty()) return ApiError{422, "evidence_required", "give at least one evidence field"};
  return fields;
}

std::variant<bool, ApiError> parse_duty(std::string_view body) {
  auto parsed = parse_object(body);
  if (auto* err = std::get_if<ApiError>(&parsed)) return *err;
  const auto& j = std::get<json>(parsed);
  if (j.size() != 1 || !j.contains("on_call") || !j["on_call"].is_boolean())
    return ApiError{422, "invalid_field", "the body must be {\"on_call\": true} or {\"on_call\": false}"};
  return j["on_call"].get<bool>();
}

std::string_view bearer_token(const WebRequest& req) {
  constexpr std::string_view scheme = "Bearer ";
  const auto h = req.header("authorization");
  if (h.size() <= scheme.size() || h.substr(0, scheme.size()) != scheme) return {};
  return h.substr(scheme.size());
}

std::optional<std::string> query_param(const WebRequest& req, std::string_view name) {
  const auto q = req.target.find('?');
  if (q == std::string::npos) return std::nullopt;
  const auto fields = decode_form(std::string_view(req.target).substr(q + 1));
  if (!fields) return std::nullopt;
  if (auto v = form_value(*fields, name)) return std::string(*v);
  return std::nullopt;
}

}  // namespace centinela::api
