// A configuration built in code for dispatcher tests: a small region tree, operators, one
// console provider and a template for every key (the text names the key and its placeholders,
// so tests can assert what was rendered).
#pragma once

#include <string>

#include "config/config.hpp"
#include "config/template_render.hpp"
#include "config/templates.hpp"

namespace centinela::testing {

// Tree:  la (LACOUNTY) -> la-east (EASTLA, 90022), la-south (SOUTHLA, 90001)
//        sd (SANDIEGO)   -- an unrelated root
inline config::Config test_config() {
  config::Config c;
  c.regions = {
      {"la", "Los Angeles", "", {"LACOUNTY"}, {}},
      {"la-east", "East LA", "la", {"EASTLA", "ELA"}, {"90022"}},
      {"la-south", "South LA", "la", {"SOUTHLA"}, {"90001"}},
      {"sd", "San Diego", "", {"SANDIEGO"}, {"92101"}},
  };
  c.operators = {
      {"Ana", "+12135550101", {"la"}, "sha256:" + std::string(64, 'a')},
      {"Beto", "+12135550102", {"la-east"}, "sha256:" + std::string(64, 'b')},
      {"Cruz", "+16195550103", {"sd"}, "sha256:" + std::string(64, 'c')},
  };
  config::Provider console;
  console.name = "console";
  console.type = "console";
  console.output_file = "/dev/null";
  console.senders = {{"+12135550100", 1000.0}};
  c.providers = {console};
  c.organization_contact = "Test Network";
  c.time_zone = "America/Los_Angeles";
  for (const char* language : {"en", "es"}) {
    for (const auto& spec : config::template_specs) {
      std::string text = std::string(language) + ":" + std::string(spec.key);
      for (const auto name : config::allowed_placeholders(spec)) text += " {" + std::string(name) + "}";
      c.templates[language][std::string(spec.key)] = text;
    }
  }
  return c;
}

inline constexpr const char* test_data_key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

}  // namespace centinela::testing
