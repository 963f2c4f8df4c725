// The configured regions as a tree, with the lookups every stage needs: which region a keyword or
// ZIP code names, who is above and below a region, and whether an operator covers it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace centinela {

class RegionTree {
 public:
  // The config has been validated: ids unique, parents exist, no cycles.
  explicit RegionTree(const std::vector<config::Region>& regions);

  const config::Region* find(std::string_view id) const;
  // The name members read ("East Los Angeles"); the id itself when no such region exists.
  std::string name_of(std::string_view id) const;
  const config::Region* by_keyword(std::string_view upper_word) const;
  const config::Region* by_zip(std::string_view zip) const;

  // The region itself first, then its parent, up to the root.
  std::vector<std::string> self_and_ancestors(std::string_view id) const;
  std::vector<std::string> descendants(std::string_view id) const;  // excludes the region
  // Whom an alert in `id` concerns: members of the region, of every region inside it, and of
  // every region that contains it (someone who joined the county wants the neighborhood's alerts).
  std::vector<std::string> alert_audience(std::string_view id) const;
  std::vector<std::string> roots() const;

  // True when one of `operator_regions` is `id` or one of its ancestors.
  bool covers(const std::vector<std::string>& operator_regions, std::string_view id) const;
  // An unknown-region report belongs to the operators of the top of the tree.
  bool covers_unknown(const std::vector<std::string>& operator_regions) const;
  // A report's region, where empty means unknown: covers() or covers_unknown().
  bool covers_report(const std::vector<std::string>& operator_regions, std::string_view report_region) const;

  // "EASTLA, SOUTHLA, VALLEY": what to suggest when someone types a keyword we do not know.
  std::string keyword_list() const;

 private:
  std::vector<config::Region> regions_;
  std::map<std::string, std::size_t, std::less<>> by_id_;
  std::map<std::string, std::size_t, std::less<>> by_keyword_;
  std::map<std::string, std::size_t, std::less<>> by_zip_;
};

}  // namespace centinela
