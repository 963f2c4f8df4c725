#include "dispatcher/intake/sms_command.hpp"

#include <array>

#include "dispatcher/intake/opt_out_request.hpp"
#include "dispatcher/intake/text_fold.hpp"
#include "dispatcher/queue/report_code.hpp"

namespace centinela::intake {
namespace {

constexpr std::array<std::string_view, 3> opt_in_words{"START", "UNSTOP", "SUBSCRIBE"};
constexpr std::array<std::string_view, 3> help_words{"HELP", "INFO", "AYUDA"};
// YES answers a pending JOIN; "SI" is "sí" folded. (Operators' YES <id> never gets here.)
constexpr std::array<std::string_view, 2> confirm_words{"YES", "SI"};
// Evidence checklist words, English and Spanish (folded), to the field they fill.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> evidence_words{{
    {"WHAT", "what"},
    {"QUE", "what"},
    {"WHERE", "where"},
    {"DONDE", "where"},
    {"WHEN", "when"},
    {"CUANDO", "when"},
    {"AGENCY", "agency"},
    {"AGENCIA", "agency"},
    {"VEHICLES", "vehicles"},
    {"VEHICULOS", "vehicles"},
    {"HOW", "corroboration"},
    {"COMO", "corroboration"},
}};
constexpr std::array<std::string_view, 5> member_commands{"JOIN", "START", "HELP", "STOP", "LEAVE"};

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

OperatorCommand parse_operator_sms(std::string_view body, const RegionTree& regions) {
  const auto words = split_words(body);
  if (words.empty()) return OperatorHelpCommand{};
  const auto verb = fold_word(words[0]);
  if ((verb == "YES" || verb == "SI" || verb == "NO") && words.size() >= 2) {
    const auto code = fold_word(words[1]);
    if (code.empty()) return OperatorHelpCommand{};
    if (verb == "NO") return RejectCommand{code, std::string(rest_after_words(body, 2))};
    ConfirmCommand c{code, std::string(rest_after_words(body, 2)), {}, {}};
    if (words.size() >= 3) {
      if (const auto* r = regions.by_keyword(fold_word(words[2]))) {
        c.region_id = r->id;
        c.summary_after_region = std::string(rest_after_words(body, 3));
      }
    }
    return c;
  }
  if (verb == "REPORT" || verb == "REPORTE" || verb == "DRILL" || verb == "SIMULACRO") {
    auto text = std::string(rest_after_words(body, 1));
    if (!text.empty()) return FileReportCommand{std::move(text), verb == "DRILL" || verb == "SIMULACRO"};
    return OperatorHelpCommand{};
  }
  if (words.size() == 1 && (verb == "ON" || verb == "OFF")) return DutyCommand{verb == "ON"};
  if (words.size() < 2) return OperatorHelpCommand{};
  // Every other command names a report: <VERB> <id> [text].
  const auto code = fold_word(words[1]);
  const auto rest = std::string(rest_after_words(body, 2));
  if (!queue::looks_like_report_code(code)) return OperatorHelpCommand{};
  if (verb == "CLAIM" || verb == "TOMAR") return ClaimCommand{code};
  if (verb == "FULL" || verb == "COMPLETO") return FullTextCommand{code};
  if ((verb == "MOVE" || verb == "MOVER") && words.size() == 3) {
    const auto* region = regions.by_keyword(fold_word(words[2]));
    return MoveCommand{code, region ? region->id : std::string{}};
  }
  if (verb == "ADVISORY" || verb == "AVISO") return AdvisoryCommand{code, rest};
  if (verb == "APPROVE" || verb == "APROBAR") return ApproveCommand{code};
  const bool clear = verb == "CLEAR" || verb == "FIN";
  const bool retract = verb == "RETRACT" || verb == "RETIRAR";
  if (rest.empty()) {
    if (clear) return FollowUpCommand{FollowUp::clear, code, rest};
    if (retract) return FollowUpCommand{FollowUp::retract, code, rest};
    return OperatorHelpCommand{};  // the rest need their text
  }
  if (verb == "NOTE" || verb == "NOTA") return NoteCommand{code, rest};
  if (verb == "MORE" || verb == "MAS") return AskReporterCommand{code, rest};
  if (verb == "UPDATE" || verb == "ACTUALIZAR") return FollowUpCommand{FollowUp::update, code, rest};
  if (clear) return FollowUpCommand{FollowUp::clear, code, rest};
  if (retract) return FollowUpCommand{FollowUp::retract, code, rest};
  for (const auto& [word, field] : evidence_words)
    if (verb == word) return EvidenceCommand{code, std::string(field), rest};
  return OperatorHelpCommand{};
}

MemberCommand parse_member_sms(std::string_view body, const RegionTree& regions, const Vocabulary& vocabulary) {
  const auto words = split_words(body);
  const auto folded = fold_message(words);
  if (folded.empty()) return HelpCommand{};
  // Opt-out first: whatever else a text could mean, a request to stop wins (FCC: any reasonable
  // means). The matcher only takes whole messages, so a report containing "stop" is not one.
  if (is_opt_out_request(canonical_request(body), vocabulary.extra_opt_outs)) return OptOutCommand{};
  if (contains(opt_in_words, folded)) return OptInCommand{};
  if (contains(help_words, folded)) return HelpCommand{};
  if (contains(confirm_words, folded)) return ConfirmJoinCommand{};
  if (words.size() == 1) {
    if (auto lang = vocabulary.language(folded); !lang.empty()) return LanguageCommand{lang};
  }

  const auto verb = fold_word(words[0]);
  if (verb == "JOIN" || verb == "UNIRME" || verb == "ALTA") {
    if (words.size() < 2 || words.size() > 3) return NearMissCommand{};
    const auto* region = regions.by_keyword(fold_word(words[1]));
    if (!region) return NearMissCommand{};
    std::string language;
    if (words.size() == 3) {
      language = vocabulary.language(fold_word(words[2]));
      if (language.empty()) return NearMissCommand{};
    }
    return JoinCommand{region->id, language};
  }
  // LEAVE <area> / SALIR <area>. Bare SALIR was an opt-out above; a longer text starting with
  // "Salir" ("Salir de casa es peligroso, ICE en la 5") is a report, so only two words count.
  if ((verb == "LEAVE" || verb == "SALIR") && words.size() <= 2) {
    if (words.size() == 2) {
      if (const auto* region = regions.by_keyword(fold_word(words[1]))) return LeaveCommand{region->id};
    }
    return LeaveNearMissCommand{};
  }
  // A short message that starts with a misspelt command is a member fumbling a keyword, not a
  // sighting: paging operators for "JION EASTLA" would cost them their attention.
  if (words.size() <= 2 && is_near_miss_command(verb)) return NearMissCommand{};
  return SightingReport{std::string(rest_after_words(body, 0))};
}

}  // namespace centinela::intake
