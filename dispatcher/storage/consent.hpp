// The consent ledger and the one writer of an opt-out. An opt-out arrives three ways (a STOP
// keyword, a plain request, the provider refusing a send because the number opted out there) and
// must have the same effects whichever way it came, so all of them call opt_out_member.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/transaction>

#include "dispatcher/core/clock.hpp"
#include "dispatcher/storage/crypto.hpp"
#include "providers/common/phone.hpp"

namespace centinela::storage {

// Appends to the consent ledger. `detail`: the new language, or how an opt-out arrived.
void record_consent(pqxx::work& tx, std::int64_t member_id, const std::string& event, const std::string& region_id,
                    Timestamp at, const std::string& detail = "");

// Opts the member out: the status, the ledger entry (`event`, `detail`), their pending joins
// dropped (a later YES must not sign them up again) and their queued texts failed (honored at
// once). Returns false when the member was opted out already: nothing changes then.
bool opt_out_member(pqxx::work& tx, std::int64_t member_id, const std::string& event, const std::string& detail,
                    Timestamp now);

// The member with this number (by its blind index), if there is one.
std::optional<std::int64_t> member_id_of(pqxx::work& tx, const DataCipher& cipher, const PhoneNumber& phone);

}  // namespace centinela::storage
