// Network members and their consent. Numbers are found by blind index and stored encrypted; every
// change of consent is written to the consent ledger with its time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "providers/common/phone.hpp"

namespace centinela::intake {

struct Member {
  std::int64_t id = 0;
  std::string language;
  bool active = false;
  std::vector<std::string> regions;
};

std::optional<Member> find_member(pqxx::transaction_base& tx, const Context& ctx, const PhoneNumber& phone);

// Creates the member or reactivates them, adds the region, and sets the language when given.
Member join(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone, const std::string& region_id,
            const std::string& language);

// Returns false when the number was not an active member (nothing changed).
bool opt_out(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone, const std::string& event);
bool opt_out_by_id(pqxx::work& tx, const Context& ctx, std::int64_t member_id, const std::string& event);
bool opt_in(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone);
bool set_language(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone, const std::string& language);

}  // namespace centinela::intake
