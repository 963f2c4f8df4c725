#include "dispatcher/core/context.hpp"

#include <algorithm>

#include "config/template_render.hpp"
#include "dispatcher/core/sms_text.hpp"
#include "dispatcher/core/token_hash.hpp"
#include "providers/text_limits.hpp"

namespace centinela {

namespace {

std::size_t smallest_text_limit(const config::Config& cfg) {
  std::size_t limit = providers::twilio_max_body;
  for (const auto& p : cfg.providers) limit = std::min(limit, providers::max_body_length(p.type));
  return limit;
}

}  // namespace

Context::Context(const config::Config& cfg, const storage::DataCipher& cipher, const Clock& clock)
    : config_(cfg), cipher_(cipher), clock_(clock), regions_(cfg.regions), time_zones_(cfg),
      vocabulary_(intake::make_vocabulary(cfg)), text_limit_(smallest_text_limit(cfg)) {
  for (const auto& op : config_.operators) operators_by_phone_.emplace(op.phone, &op);
  for (const auto& [language, templates] : config_.templates) languages_.insert(language);
}

const config::Operator* Context::operator_by_phone(const std::string& e164) const {
  auto it = operators_by_phone_.find(e164);
  return it == operators_by_phone_.end() ? nullptr : it->second;
}

const config::Operator* Context::operator_by_token(std::string_view bearer_token) const {
  for (const auto& op : config_.operators)
    if (!op.api_token_hash.empty() && token_matches(bearer_token, op.api_token_hash)) return &op;
  return nullptr;
}

const config::Operator* Context::operator_by_name(std::string_view name) const {
  for (const auto& op : config_.operators)
    if (op.name == name) return &op;
  return nullptr;
}

bool Context::is_intake_token(std::string_view bearer_token) const {
  return !config_.intake_token_hash.empty() && token_matches(bearer_token, config_.intake_token_hash);
}

std::string Context::render(std::string_view language, std::string_view key,
                            const std::map<std::string, std::string>& values) const {
  std::map<std::string, std::string> clean;
  for (const auto& [name, value] : values) clean.emplace(name, sanitize_forwarded(value));
  return config::render_template(config::template_for(config_, language, key), clean);
}

std::string Context::render_within_limit(std::string_view language, std::string_view key,
                                         std::map<std::string, std::string> values, const std::string& cut,
                                         const std::string& marker, std::string_view prefix) const {
  auto text = std::string(prefix) + render(language, key, values);
  // Each round takes the overflow off the cut value; a template that repeats it converges too.
  for (int round = 0; round < 4 && sms_length(text) > text_limit_; ++round) {
    auto& value = values[cut];
    const auto clean = sanitize_forwarded(value);  // what render() puts in the text
    const auto value_units = sms_length(clean);
    const auto overflow = sms_length(text) - text_limit_;
    if (value_units <= sms_length(marker)) break;  // nothing left to cut: the sender's last guard fits it
    value = fit_text(clean, value_units > overflow ? value_units - overflow : 0, marker);
    text = std::string(prefix) + render(language, key, values);
  }
  return text;
}

}  // namespace centinela
