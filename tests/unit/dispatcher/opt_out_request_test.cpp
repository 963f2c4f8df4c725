// The opt-out matcher, both ways: every way people ask us to stop must opt out, and a sighting
// report that merely mentions stopping must never (it would silence a member mid-raid).
#include <gtest/gtest.h>

#include "dispatcher/intake/opt_out_request.hpp"
#include "dispatcher/intake/sms_command.hpp"
#include "tests/support/test_config.hpp"

namespace centinela::intake {
namespace {

class OptOutRequests : public ::testing::Test {
 protected:
  config::Config cfg_ = testing::test_config();
  RegionTree regions_{cfg_.regions};
  Vocabulary vocabulary_ = make_vocabulary(cfg_);
  bool opts_out(std::string_view body) {
    return std::holds_alternative<OptOutCommand>(parse_member_sms(body, regions_, vocabulary_));
  }
};

TEST_F(OptOutRequests, EveryStandardWordEnglishAndSpanish) {
  for (const char* body : {"STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
                           "OPTOUT", "OPT OUT", "OPT-OUT", "PARAR", "PARA", "ALTO", "DETENER", "CANCELAR", "BAJA",
                           "SALIR", "NO MAS", "NO MÁS", "stop", "Cancel.", "¡Alto!", "  quit  ", "Baja", "detener"}) {
    EXPECT_TRUE(opts_out(body)) << body;
  }
}

TEST_F(OptOutRequests, PlainLanguageRequests) {
  for (const char* body : {
           // English
           "stop texting me", "Stop texting me!", "please stop", "Stop please", "STOP PLEASE THANK YOU",
           "unsubscribe me", "Please unsubscribe me.", "remove me from this list", "take me off your list",
           "don't text me", "Don’t text me anymore", "do not text me", "stop sending me messages",
           "Stop sending me these texts", "no more texts", "No more messages please", "can you stop texting me",
           "I want to unsubscribe", "opt me out", "wrong number", "I don't want these messages",
           "stop messaging me", "Never text me again",
           // Spanish
           "no más mensajes", "No mas mensajes por favor", "ya no me manden mensajes", "Ya no me manden más mensajes",
           "no me manden mensajes", "no quiero más mensajes", "No quiero recibir mensajes", "ya no quiero mensajes",
           "dejen de mandarme mensajes", "Dejen de enviarme mensajes, gracias", "sáquenme de la lista",
           "Sácame de la lista", "quiero darme de baja", "denme de baja", "por favor ya no me escriban",
           "número equivocado", "Alto ya"}) {
    EXPECT_TRUE(opts_out(body)) << body;
  }
}

TEST_F(OptOutRequests, SightingsThatMentionStoppingAreReports) {
  for (const char* body : {
           "they told us to stop", "ICE told people to stop texting", "stop the raid",
           "Agents stopped cars at the stop sign on 3rd", "stop sign at Whittier and Atlantic, 2 vans",
           "please don't stop texting me, they are here", "Stop texting me, ICE is at my door",
           "No more raids please", "La migra dijo que ya no más", "paren a todos en la esquina",
           "no me manden a la policía", "they said end of the line", "unsubscribe them", "remove the van",
           "please", "thank you", "gracias", "ya", "no", "do not open the door", "don't open the door",
           // Conservative: unknown words around a request leave it a report for a human to read.
           "ya basta no más mensajes"}) {
    EXPECT_FALSE(opts_out(body)) << body;
  }
}

TEST_F(OptOutRequests, ConfiguredTranslationsAreAddedNotReplacing) {
  EXPECT_FALSE(opts_out("ARRET"));
  cfg_.members.opt_out_words = {"arrêt", "pare de mandar mensagens"};
  vocabulary_ = make_vocabulary(cfg_);
  EXPECT_TRUE(opts_out("arret"));
  EXPECT_TRUE(opts_out("Pare de mandar mensagens, por favor"));
  EXPECT_TRUE(opts_out("STOP")) << "the built-in words stay";
  EXPECT_FALSE(opts_out("arret la voiture"));
}

TEST(OptOutCanonical, FoldsSynonymsAndTrimsPoliteness) {
  EXPECT_EQ(canonical_request("Please, stop sending me TEXTS!! thanks"), "STOP SENDING ME MSG");
  EXPECT_EQ(canonical_request("Ya no me envíen más mensajes por favor"), "NO ME MANDEN MAS MSG");
  EXPECT_EQ(canonical_request("Do NOT text me"), "DONT MSG ME");
  EXPECT_EQ(canonical_request("please"), "PLEASE") << "a filler alone is kept, never stripped to nothing";
  EXPECT_EQ(canonical_request(""), "");
}

}  // namespace
}  // namespace centinela::intake
