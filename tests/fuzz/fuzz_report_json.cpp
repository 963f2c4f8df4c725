// Fuzz target: web-form report bodies and decision bodies through the API's JSON validation.
#include <cstdint>
#include <string>
#include <vector>

#include "dispatcher/api/request_parsing.hpp"
#include "tests/support/test_config.hpp"

std::vector<std::string> fuzz_seeds() {
  return {R"({"text": "vans", "zip": "90001", "contact_phone": "(213) 555-0123"})",
          R"({"text": "x", "region": "la-east"})", R"({"summary": "s", "region": "la"})", "[]", "{", "null",
          R"({"text": "\ud83d\udea8"})"};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto cfg = centinela::testing::test_config();
  static const centinela::RegionTree regions(cfg.regions);
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)centinela::api::parse_new_report(body, regions);
  (void)centinela::api::parse_decision(body, regions);
  return 0;
}
