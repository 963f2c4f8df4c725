#include "dispatcher/core/region_tree.hpp"

#include <algorithm>

namespace centinela {

RegionTree::RegionTree(const std::vector<config::Region>& regions) : regions_(regions) {
  for (std::size_t i = 0; i < regions_.size(); ++i) {
    by_id_.emplace(regions_[i].id, i);
    for (const auto& k : regions_[i].keywords) by_keyword_.emplace(k, i);
    for (const auto& z : regions_[i].zip_codes) by_zip_.emplace(z, i);
  }
}

const config::Region* RegionTree::find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &regions_[it->second];
}

std::string RegionTree::name_of(std::string_view id) const {
  const auto* r = find(id);
  return r ? r->name : std::string(id);
}

const config::Region* RegionTree::by_keyword(std::string_view upper_word) const {
  auto it = by_keyword_.find(upper_word);
  return it == by_keyword_.end() ? nullptr : &regions_[it->second];
}

const config::Region* RegionTree::by_zip(std::string_view zip) const {
  auto it = by_zip_.find(zip);
  return it == by_zip_.end() ? nullptr : &regions_[it->second];
}

std::vector<std::string> RegionTree::self_and_ancestors(std::string_view id) const {
  std::vector<std::string> out;
  // Bounded by the region count: validated config has no cycles, but a bound costs nothing.
  for (const config::Region* r = find(id); r && out.size() <= regions_.size(); r = find(r->parent))
    out.push_back(r->id);
  return out;
}

std::vector<std::string> RegionTree::descendants(std::string_view id) const {
  std::vector<std::string> out;
  std::vector<std::string> frontier{std::string(id)};
  while (!frontier.empty() && out.size() <= regions_.size()) {
    const std::string parent = frontier.back();
    frontier.pop_back();
    for (const auto& r : regions_) {
      if (r.parent == parent) {
        out.push_back(r.id);
        frontier.push_back(r.id);
      }
    }
  }
  return out;
}

std::vector<std::string> RegionTree::alert_audience(std::string_view id) const {
  auto out = self_and_ancestors(id);
  const auto below = descendants(id);
  out.insert(out.end(), below.begin(), below.end());
  return out;
}

std::vector<std::string> RegionTree::roots() const {
  std::vector<std::string> out;
  for (const auto& r : regions_)
    if (r.parent.empty()) out.push_back(r.id);
  return out;
}

bool RegionTree::covers(const std::vector<std::string>& operator_regions, std::string_view id) const {
  for (const auto& r : self_and_ancestors(id))
    if (std::find(operator_regions.begin(), operator_regions.end(), r) != operator_regions.end())
      return true;
  return false;
}

bool RegionTree::covers_unknown(const std::vector<std::string>& operator_regions) const {
  for (const auto& root : roots())
    if (std::find(operator_regions.begin(), operator_regions.end(), root) != operator_regions.end())
      return true;
  return false;
}

bool RegionTree::covers_report(const std::vector<std::string>& operator_regions,
                               std::string_view report_region) const {
  return report_region.empty() ? covers_unknown(operator_regions) : covers(operator_regions, report_region);
}

std::string RegionTree::keyword_list() const {
  std::string out;
  for (const auto& r : regions_) {
    if (r.keywords.empty()) continue;
    if (!out.empty()) out += ", ";
    out += r.keywords.front();
  }
  return out;
}

}  // namespace centinela
