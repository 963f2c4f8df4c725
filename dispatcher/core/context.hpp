// What the use cases need to know about the world, gathered once at start-up: the validated
// configuration, the region tree and its time zones, the operators by phone, the cipher and the
// clock.
#pragma once

#include <map>
#include <set>
#include <string>

#include "config/config.hpp"
#include "dispatcher/core/clock.hpp"
#include "dispatcher/core/region_tree.hpp"
#include "dispatcher/core/time_zones.hpp"
#include "dispatcher/intake/vocabulary.hpp"
#include "dispatcher/storage/crypto.hpp"

namespace centinela {

class Context {
 public:
  Context(const config::Config& cfg, const storage::DataCipher& cipher, const Clock& clock);

  const config::Config& config() const { return config_; }
  const RegionTree& regions() const { return regions_; }
  const TimeZones& time_zones() const { return time_zones_; }
  const storage::DataCipher& cipher() const { return cipher_; }
  const Clock& clock() const { return clock_; }

  const config::Operator* operator_by_phone(const std::string& e164) const;
  const config::Operator* operator_by_token(std::string_view bearer_token) const;
  const config::Operator* operator_by_name(std::string_view name) const;
  bool is_intake_token(std::string_view bearer_token) const;
  const std::set<std::string>& languages() const { return languages_; }
  // Language keywords and extra opt-out words, folded once.
  const intake::Vocabulary& vocabulary() const { return vocabulary_; }

  // The text of template `key` in `language`, falling back to the default language, with every
  // {placeholder} replaced from `values`. Values are words we forward (a reporter's text, an
  // operator's summary): control and direction-override characters are stripped from them.
  std::string render(std::string_view language, std::string_view key,
                     const std::map<std::string, std::string>& values = {}) const;

  // The longest text every configured provider accepts (providers/text_limits.hpp).
  std::size_t text_limit() const { return text_limit_; }

  // `prefix` + render(), and when that is longer than text_limit(), values[`cut`] (a reporter's
  // text, an operator's summary) is cut on a character boundary, with `marker` appended, until the
  // whole text fits. The prefix (a drill's "[DRILL] ") is never cut.
  std::string render_within_limit(std::string_view language, std::string_view key,
                                  std::map<std::string, std::string> values, const std::string& cut,
                                  const std::string& marker, std::string_view prefix = {}) const;

 private:
  const config::Config& config_;
  const storage::DataCipher& cipher_;
  const Clock& clock_;
  RegionTree regions_;
  TimeZones time_zones_;
  std::map<std::string, const config::Operator*> operators_by_phone_;
  std::set<std::string> languages_;
  intake::Vocabulary vocabulary_;
  std::size_t text_limit_;
};

}  // namespace centinela
