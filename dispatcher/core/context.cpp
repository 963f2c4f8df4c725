#include "dispatcher/core/context.hpp"

#include "config/template_render.hpp"
#include "dispatcher/core/token_hash.hpp"

namespace centinela {

Context::Context(const config::Config& cfg, const storage::DataCipher& cipher, const Clock& clock)
    : config_(cfg), cipher_(cipher), clock_(clock), regions_(cfg.regions), time_zones_(cfg),
      vocabulary_(intake::make_vocabulary(cfg)) {
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
  return config::render_template(config::template_for(config_, language, key), values);
}

}  // namespace centinela
