// Where a sighting happened, as far as the text and the sender tell us: a region keyword or ZIP
// code in the text wins; else the sender's region if they belong to exactly one; else unknown.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dispatcher/core/region_tree.hpp"

namespace centinela::intake {

std::string guess_region(std::string_view text, const RegionTree& regions,
                         const std::vector<std::string>& sender_regions);

}  // namespace centinela::intake
