// SQL fragments shared by the files of the delivery store (text_*.cpp).
#pragma once

#include <string>
#include <string_view>

namespace centinela::fanout {

// Receipt and delivery states share one ordering; an update only ever moves forward in it.
inline std::string rank_of(std::string_view column) {
  return "CASE " + std::string(column) +
         " WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 ELSE 3 END";
}

// The advisory lock that orders a receipt against the recording of its send (see record_results).
inline std::string receipt_lock_key(std::string_view provider_sql, std::string_view message_id_sql) {
  return "hashtextextended(" + std::string(provider_sql) + " || ':' || " + std::string(message_id_sql) + ", 0)";
}

}  // namespace centinela::fanout
