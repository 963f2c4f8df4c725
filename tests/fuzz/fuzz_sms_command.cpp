// Fuzz target: inbound SMS bodies through the member and operator command parsers and the region
// guesser. Anything a stranger can text must parse to some command without crashing.
#include <cstdint>
#include <string>
#include <vector>

#include "dispatcher/intake/region_guess.hpp"
#include "dispatcher/intake/sms_command.hpp"
#include "tests/support/test_config.hpp"

std::vector<std::string> fuzz_seeds() {
  return {"JOIN EASTLA es", "STOP", "no más", "¡Alto!", "YES K7Q3M SOUTHLA two vans", "NO K7Q3M", "REPORT x",
          "ICE at 90022-1234 now", "JION", "\xC3", "español", "stop texting me", "no más mensajes", "SALIR EASTLA", "LEAVE", "YES", ""};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto cfg = centinela::testing::test_config();
  static const centinela::RegionTree regions(cfg.regions);
  static const auto vocabulary = centinela::intake::make_vocabulary(cfg);
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)centinela::intake::parse_member_sms(body, regions, vocabulary);
  (void)centinela::intake::parse_operator_sms(body, regions);
  (void)centinela::intake::guess_region(body, regions, {"la"});
  return 0;
}
