#include "dispatcher/intake/opt_out_request.hpp"

#include <array>
#include <vector>

#include "dispatcher/intake/text_fold.hpp"

namespace centinela::intake {
namespace {

// One canonical token for words that mean the same here: the phrase list stays short and
// "stop sending me texts" and "stop sending me messages" need one entry.
struct Synonym {
  std::string_view word;
  std::string_view canonical;
};
constexpr std::array<Synonym, 40> synonyms{{
    {"TEXTS", "MSG"},     {"TEXT", "MSG"},       {"MESSAGES", "MSG"},   {"MESSAGE", "MSG"},
    {"MSGS", "MSG"},      {"SMS", "MSG"},        {"ALERTS", "MSG"},     {"TEXTOS", "MSG"},
    {"TEXTO", "MSG"},     {"MENSAJES", "MSG"},   {"MENSAJE", "MSG"},    {"MENSAJITOS", "MSG"},
    {"ALERTAS", "MSG"},   {"TEXTING", "TEXTING"}, {"MESSAGING", "TEXTING"}, {"CONTACTING", "TEXTING"},
    {"MANDEN", "MANDEN"}, {"MANDES", "MANDEN"},  {"ENVIEN", "MANDEN"},  {"ENVIES", "MANDEN"},
    {"MANDAN", "MANDEN"}, {"ENVIAN", "MANDEN"},  {"ESCRIBAN", "MANDEN"}, {"MANDARME", "MANDARME"},
    {"ENVIARME", "MANDARME"}, {"ESCRIBIRME", "MANDARME"}, {"MANDAR", "MANDARME"}, {"ENVIAR", "MANDARME"},
    {"SACAME", "SACAME"}, {"SAQUENME", "SACAME"}, {"BORRENME", "SACAME"}, {"BORRAME", "SACAME"},
    {"QUITENME", "SACAME"}, {"QUITAME", "SACAME"}, {"ELIMINENME", "SACAME"}, {"ELIMINAME", "SACAME"},
    {"LISTA", "LIST"},    {"DEJA", "DEJEN"},     {"PAREN", "DEJEN"},    {"DON", "DONT"},
}};

// Politeness and filler around a request, trimmed from the ends only: inside a sentence these
// words change its meaning and the text is then not a bare request.
constexpr std::array<std::string_view, 23> leading_fillers{
    "PLEASE", "PLS", "PLZ", "KINDLY", "HI", "HELLO", "HEY", "OK", "OKAY", "JUST", "HOLA", "YA",
    "POR FAVOR", "PORFAVOR", "PORFA", "FAVOR DE", "CAN YOU", "COULD YOU", "WOULD YOU", "I WANT TO",
    "ID LIKE TO", "QUIERO", "QUISIERA"};
constexpr std::array<std::string_view, 16> trailing_fillers{
    "PLEASE", "PLS", "PLZ", "THANKS", "THANK YOU", "THX", "TY", "POR FAVOR", "PORFAVOR", "PORFA",
    "GRACIAS", "ANYMORE", "AGAIN", "NOW", "YA", "EVER"};

// The standard keywords (Twilio's defaults and their usual Spanish conventions, providers.md §9).
constexpr std::array<std::string_view, 20> keywords{
    "STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
    "OPT OUT", "OPT-OUT", "PARAR", "PARA", "ALTO", "DETENER", "CANCELAR", "BAJA", "SALIR", "NO MAS",
    "NO MORE"};

// Plain-language requests, in canonical form. Conservative on purpose: each is a whole message
// a reasonable person would read as "stop texting me" (the FCC's test), nothing looser.
constexpr std::array<std::string_view, 62> phrases{
    // English
    "STOP TEXTING ME", "STOP TEXTING", "STOP TEXTING THIS NUMBER", "STOP MSG ME",
    "STOP SENDING ME MSG", "STOP SENDING MSG", "STOP SENDING ME THESE MSG", "STOP SENDING THESE MSG",
    "STOP SENDING ME THIS", "STOP SENDING ME", "STOP THE MSG", "STOP THESE MSG", "STOP ALL MSG",
    "STOP MSG", "STOP ALL THE MSG", "NO MORE MSG", "DONT MSG ME", "DONT SEND ME MSG",
    "DONT SEND ME ANY MORE MSG", "DONT SEND MSG", "DONT CONTACT ME", "DONT MSG THIS NUMBER",
    "NEVER MSG ME", "UNSUBSCRIBE ME", "REMOVE ME", "REMOVE ME FROM THIS LIST",
    "REMOVE ME FROM THE LIST", "REMOVE ME FROM YOUR LIST", "REMOVE MY NUMBER", "TAKE ME OFF",
    "TAKE ME OFF THIS LIST", "TAKE ME OFF THE LIST", "TAKE ME OFF YOUR LIST", "OPT ME OUT",
    "WRONG NUMBER", "I DONT WANT MSG", "I DONT WANT THESE MSG", "I DONT WANT ANY MORE MSG",
    "I DONT WANT ANY MSG",
    // Spanish
    "NO MAS MSG", "NO ME MANDEN MSG", "NO ME MANDEN MAS MSG", "NO ME MANDEN MAS", "NO ME MANDEN",
    "NO ME MANDEN NADA", "NO QUIERO MAS MSG", "NO QUIERO MSG", "NO QUIERO RECIBIR MSG",
    "NO QUIERO RECIBIR MAS MSG", "NO QUIERO ESTOS MSG", "DEJEN DE MANDARME MSG", "DEJEN DE MANDARME",
    "DEJEN DE MANDAR MSG", "SACAME DE LA LIST", "SACAME DE SU LIST", "SACAME DE ESTA LIST",
    "SACAME", "DARME DE BAJA", "DENME DE BAJA", "CANCELAR MI SUSCRIPCION", "DESUSCRIBIRME",
    "NUMERO EQUIVOCADO"};

std::string_view canonical_word(std::string_view w) {
  for (const auto& s : synonyms)
    if (s.word == w) return s.canonical;
  return w;
}

// Removes `filler` from the front (or back) of `words` when it is there as whole words.
bool strip(std::vector<std::string>& words, std::string_view filler, bool front) {
  const auto parts = split_words(filler);
  if (parts.size() >= words.size()) return false;  // never strip the request itself away
  const std::size_t at = front ? 0 : words.size() - parts.size();
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (words[at + i] != parts[i]) return false;
  words.erase(words.begin() + static_cast<std::ptrdiff_t>(at),
              words.begin() + static_cast<std::ptrdiff_t>(at + parts.size()));
  return true;
}

template <std::size_t N>
bool strip_any(std::vector<std::string>& words, const std::array<std::string_view, N>& fillers, bool front) {
  for (const auto f : fillers)
    if (strip(words, f, front)) return true;
  return false;
}

}  // namespace

std::string canonical_request(std::string_view text) {
  std::vector<std::string> words;
  for (const auto raw : split_words(text)) {
    std::string w = fold_word(raw);
    std::string plain;  // "DON'T" and "DON’T" (a phone's curly apostrophe) -> "DONT"
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] == '\'') continue;
      if (w.compare(i, 3, "\xE2\x80\x99") == 0) {
        i += 2;
        continue;
      }
      plain.push_back(w[i]);
    }
    if (plain.empty()) continue;
    if (plain == "NOT" && !words.empty() && words.back() == "DO") {
      words.back() = "DONT";
      continue;
    }
    words.emplace_back(canonical_word(plain));
  }
  while (strip_any(words, leading_fillers, true) || strip_any(words, trailing_fillers, false)) {
  }
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

bool is_opt_out_request(const std::string& canonical, const std::set<std::string, std::less<>>& extra) {
  if (canonical.empty()) return false;
  for (const auto k : keywords)
    if (k == canonical) return true;
  for (const auto p : phrases)
    if (p == canonical) return true;
  return extra.contains(canonical);
}

}  // namespace centinela::intake
