// Checks of the region tree: unique ids, parents that exist, no cycles, at least one root, and
// SMS keywords and ZIP codes that map to exactly one region.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "config/suggest.hpp"
#include "config/validate_detail.hpp"

namespace centinela::config::detail {
namespace {

// Words the SMS command parser owns (Twilio's standard opt-out/opt-in/help words, plus ours):
// a region keyword equal to one would make "JOIN STOP" or a report text ambiguous.
constexpr std::array<std::string_view, 16> reserved_keywords{
    "JOIN",  "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",  "QUIT",  "START",
    "UNSTOP", "YES", "NO",      "HELP",        "INFO",   "REPORT", "LEAVE", "SALIR"};

std::string region_path(std::size_t i) { return fmt::format("regions[{}]", i); }

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_upper_alnum(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

bool is_zip(std::string_view s) {
  return s.size() == 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Region id -> index of its first definition (later duplicates are reported, not indexed).
using RegionIndex = std::map<std::string, std::size_t, std::less<>>;

RegionIndex check_ids(Reporter& r, const Config& c) {
  RegionIndex index;
  for (std::size_t i = 0; i < c.regions.size(); ++i) {
    const Region& region = c.regions[i];
    const std::string path = region_path(i);
    if (region.id.empty()) {
      r.error(path + ".id", "is required", "a short stable id such as \"la-east\"");
    } else if (!is_plain_id(region.id)) {
      r.error(path + ".id", fmt::format("\"{}\" is not a valid region id", region.id),
              "use lower-case letters, digits and '-', e.g. \"la-east\"");
    } else if (auto [it, fresh] = index.emplace(region.id, i); !fresh) {
      r.error(path + ".id",
              fmt::format("duplicate region id \"{}\" (first defined at {})", region.id,
                          r.describe_location(region_path(it->second))));
    }
    if (region.name.empty())
      r.error(path + ".name", "is required", "the name members see, e.g. \"East Los Angeles\"");
  }
  return index;
}

// Follows parent links from every region; a walk that meets itself is a cycle, reported once at
// its first region. Regions whose parent is unknown end their walk (reported separately).
void check_cycles(Reporter& r, const Config& c, const RegionIndex& index) {
  enum class State { unvisited, on_walk, done };
  std::vector<State> state(c.regions.size(), State::unvisited);
  const auto parent_of = [&](std::size_t i) -> std::optional<std::size_t> {
    auto it = index.find(c.regions[i].parent);
    if (c.regions[i].parent.empty() || it == index.end()) return std::nullopt;
    return it->second;
  };
  for (std::size_t start = 0; start < c.regions.size(); ++start) {
    std::vector<std::size_t> walk;
    std::optional<std::size_t> at = start;
    while (at && state[*at] == State::unvisited) {
      state[*at] = State::on_walk;
      walk.push_back(*at);
      at = parent_of(*at);
    }
    if (at && state[*at] == State::on_walk) {
      const auto first = std::find(walk.begin(), walk.end(), *at);
      const std::size_t reported = *std::min_element(first, walk.end());
      std::vector<std::string_view> chain;
      for (auto it = first; it != walk.end(); ++it) chain.push_back(c.regions[*it].id);
      chain.push_back(c.regions[*at].id);
      const std::string message =
          walk.end() - first == 1
              ? fmt::format("region \"{}\" is its own parent", c.regions[*at].id)
              : fmt::format("regions form a cycle: {}", fmt::join(chain, " -> "));
      r.error(region_path(reported) + ".parent", message,
              "regions must form a tree: break the chain by giving one of them another parent");
    }
    for (const std::size_t i : walk) state[i] = State::done;
  }
}

void check_parents(Reporter& r, const Config& c, const RegionIndex& index) {
  std::vector<std::string_view> ids;
  for (const auto& [id, _] : index) ids.push_back(id);
  bool has_root = false;
  for (std::size_t i = 0; i < c.regions.size(); ++i) {
    const std::string& parent = c.regions[i].parent;
    if (parent.empty()) {
      has_root = true;
    } else if (!index.contains(parent)) {
      r.error(region_path(i) + ".parent", fmt::format("unknown region \"{}\"", parent),
              suggestion_hint(parent, ids));
    }
  }
  if (!has_root)
    r.error("regions", "no top-level region: every region has a parent",
            "reports whose region is unknown go to the operators of the top of the tree; "
            "leave out `parent` on at least one region");
  check_cycles(r, c, index);
}

void check_keywords_and_zips(Reporter& r, const Config& c) {
  std::map<std::string, std::string> keyword_owner;  // upper-cased keyword -> region path
  std::map<std::string, std::string> zip_owner;
  for (std::size_t i = 0; i < c.regions.size(); ++i) {
    const Region& region = c.regions[i];
    for (std::size_t k = 0; k < region.keywords.size(); ++k) {
      const std::string& keyword = region.keywords[k];
      const std::string path = fmt::format("{}.keywords[{}]", region_path(i), k);
      const std::string canonical = upper(keyword);
      if (!is_upper_alnum(canonical)) {
        r.error(path, fmt::format("keyword \"{}\" must be letters and digits only", keyword),
                "members type it in a text: keep it short, e.g. \"EASTLA\"");
        continue;
      }
      if (canonical != keyword)
        r.error(path, fmt::format("keyword \"{}\" must be upper case", keyword),
                fmt::format("write it as \"{}\" (members may type it in any case)", canonical));
      if (std::find(reserved_keywords.begin(), reserved_keywords.end(), canonical) !=
          reserved_keywords.end())
        r.error(path, fmt::format("keyword \"{}\" is an SMS command word", canonical),
                "choose another keyword: texts starting with it are commands, not regions");
      if (auto [it, fresh] = keyword_owner.emplace(canonical, path); !fresh)
        r.error(path, fmt::format("keyword \"{}\" is already used at {}", canonical,
                                  r.describe_location(it->second)),
                "a keyword must lead to exactly one region");
    }
    for (std::size_t z = 0; z < region.zip_codes.size(); ++z) {
      const std::string& zip = region.zip_codes[z];
      const std::string path = fmt::format("{}.zip_codes[{}]", region_path(i), z);
      if (!is_zip(zip)) {
        r.error(path, fmt::format("\"{}\" is not a 5-digit ZIP code", zip),
                "exactly five digits, e.g. \"90022\"");
      } else if (auto [it, fresh] = zip_owner.emplace(zip, path); !fresh) {
        r.error(path, fmt::format("ZIP code {} is already used at {}", zip,
                                  r.describe_location(it->second)),
                "a ZIP code must lead to exactly one region");
      }
    }
  }
}

}  // namespace

void validate_regions(Reporter& r, const Config& c) {
  if (c.regions.empty()) {
    r.error("regions", "at least one region is required",
            "members JOIN regions and alerts go to regions; see config/example.yaml");
    return;
  }
  const RegionIndex index = check_ids(r, c);
  check_parents(r, c, index);
  check_keywords_and_zips(r, c);
}

}  // namespace centinela::config::detail
