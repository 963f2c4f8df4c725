// Schema version 6: a reply leaves from the number the person texted. With several sending
// numbers, any sender's loop could otherwise claim it, and a STOP or HELP answered from a number
// the member never wrote to looks like a stranger (and is, to the carrier, another conversation).
#pragma once

#include <string_view>

namespace centinela::storage {

inline constexpr std::string_view schema_v6 = R"sql(
-- One of our own sending numbers (E.164), not a member's; NULL: any sender may send it.
ALTER TABLE outbox ADD COLUMN from_number text;
)sql";

}  // namespace centinela::storage
