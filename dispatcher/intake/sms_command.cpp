#include "dispatcher/intake/sms_command.hpp"

#include <array>
#include <map>

#include "dispatcher/intake/text_fold.hpp"

namespace centinela::intake {
namespace {

// Whole-message opt-out requests. Providers match the exact single word; we match more, after
// folding, because under the FCC's "any reasonable means" rule an "Alto." must be honored too.
constexpr std::array<std::string_view, 19> opt_out_phrases{
    "STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
    "OPT OUT", "OPT-OUT", "PARAR", "PARA", "ALTO", "DETENER", "CANCELAR", "BAJA", "SALIR", "NO MAS"};
constexpr std::array<std::string_view, 3> opt_in_words{"START", "UNSTOP", "SUBSCRIBE"};
constexpr std::array<std::string_view, 3> help_words{"HELP", "INFO", "AYUDA"};
constexpr std::array<std::string_view, 4> member_commands{"JOIN", "START", "HELP", "STOP"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view w) {
  for (auto x : words)
    if (x == w) return true;
  return false;
}

// The whole message folded word by word and joined with single spaces: "no  más!" -> "NO MAS".
std::string fold_message(const std::vector<std::string_view>& words) {
  std::string out;
  for (auto w : words) {
    const auto f = fold_word(w);
    if (f.empty()) continue;
    if (!out.empty()) out += ' ';
    out += f;
  }
  return out;
}

bool is_near_miss_command(std::string_view folded_first_word) {
  if (folded_first_word.size() < 3 || folded_first_word.size() > 6) return false;
  for (auto cmd : member_commands)
    if (cmd != folded_first_word && edit_distance(cmd, folded_first_word) <= 1) return true;
  // A transposition ("JION") counts as one typo, not two.
  for (auto cmd : member_commands) {
    if (cmd.size() != folded_first_word.size()) continue;
    std::string swapped(folded_first_word);
    for (std::size_t i = 0; i + 1 < swapped.size(); ++i) {
      std::swap(swapped[i], swapped[i + 1]);
      if (swapped == cmd) return true;
      std::swap(swapped[i], swapped[i + 1]);
    }
  }
  return false;
}

}  // namespace

std::string language_from_word(std::string_view folded_word, const std::set<std::string>& languages) {
  static const std::map<std::string, std::string, std::less<>> names{
      {"ESPANOL", "es"}, {"SPANISH", "es"}, {"CASTELLANO", "es"},
      {"ENGLISH", "en"}, {"INGLES", "en"}};
  std::string code;
  if (auto it = names.find(folded_word); it != names.end()) {
    code = it->second;
  } else {
    for (char c : folded_word) code.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return languages.count(code) ? code : std::string{};
}

OperatorCommand parse_operator_sms(std::string_view body, const RegionTree& regions) {
  const auto words = split_words(body);
  if (words.empty()) return OperatorHelpCommand{};
  const auto verb = fold_word(words[0]);
  if ((verb == "YES" || verb == "SI" || verb == "NO") && words.size() >= 2) {
    const auto code = fold_word(words[1]);
    if (code.empty()) return OperatorHelpCommand{};
    if (verb == "NO") return RejectCommand{code, std::string(rest_after_words(body, 2))};
    ConfirmCommand c{code, {}, {}};
    std::size_t summary_from = 2;
    if (words.size() >= 3) {
      if (const auto* r = regions.by_keyword(fold_word(words[2]))) {
        c.region_id = r->id;
        summary_from = 3;
      }
    }
    c.summary = std::string(rest_after_words(body, summary_from));
    return c;
  }
  if (verb == "REPORT" || verb == "REPORTE") {
    auto text = std::string(rest_after_words(body, 1));
    if (!text.empty()) return FileReportCommand{std::move(text)};
  }
  return OperatorHelpCommand{};
}

MemberCommand parse_member_sms(std::string_view body, const RegionTree& regions,
                               const std::set<std::string>& languages) {
  const auto words = split_words(body);
  const auto folded = fold_message(words);
  if (folded.empty()) return HelpCommand{};
  if (contains(opt_out_phrases, folded)) return OptOutCommand{};
  if (contains(opt_in_words, folded)) return OptInCommand{};
  if (contains(help_words, folded)) return HelpCommand{};
  if (words.size() == 1) {
    if (auto lang = language_from_word(folded, languages); !lang.empty()) return LanguageCommand{lang};
  }

  const auto verb = fold_word(words[0]);
  if (verb == "JOIN" || verb == "UNIRME" || verb == "ALTA") {
    if (words.size() < 2 || words.size() > 3) return NearMissCommand{};
    const auto* region = regions.by_keyword(fold_word(words[1]));
    if (!region) return NearMissCommand{};
    std::string language;
    if (words.size() == 3) {
      language = language_from_word(fold_word(words[2]), languages);
      if (language.empty()) return NearMissCommand{};
    }
    return JoinCommand{region->id, language};
  }
  // A short message that starts with a misspelt command is a member fumbling a keyword, not a
  // sighting: paging operators for "JION EASTLA" would cost them their attention.
  if (words.size() <= 2 && is_near_miss_command(verb)) return NearMissCommand{};
  return SightingReport{std::string(rest_after_words(body, 0))};
}

}  // namespace centinela::intake
