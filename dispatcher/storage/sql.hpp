// Small conversions between C++ values and libpqxx 6 parameters and fields. Timestamps travel as
// integer microseconds since the epoch (SQL: to_timestamp($n / 1e6), epoch_us(col)), so that the
// service's Clock, not the database server's, decides what "now" is.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <pqxx/binarystring>
#include <pqxx/field>

#include "dispatcher/core/clock.hpp"
#include "dispatcher/storage/crypto.hpp"

namespace centinela::storage {

inline std::int64_t to_micros(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

inline Timestamp from_micros(std::int64_t us) {
  return Timestamp{std::chrono::duration_cast<Timestamp::duration>(std::chrono::microseconds{us})};
}

inline pqxx::binarystring bin(const Bytes& b) { return pqxx::binarystring(b.data(), b.size()); }

inline Bytes bytes_of(const pqxx::field& f) {
  const pqxx::binarystring b(f);
  return Bytes(b.data(), b.size());
}

// "a,b,c" for string_to_array($n, ','): libpqxx 6 cannot pass arrays, and region ids and
// numeric ids never contain commas (config validation guarantees it for region ids).
template <class Range>
std::string csv(const Range& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ',';
    if constexpr (std::is_arithmetic_v<std::decay_t<decltype(v)>>) {
      out += std::to_string(v);
    } else {
      out += v;
    }
  }
  return out;
}

// SQL expression for a timestamptz column as integer microseconds since the epoch.
inline std::string epoch_us(std::string_view column) {
  return "(extract(epoch from " + std::string(column) + ") * 1000000)::bigint";
}

}  // namespace centinela::storage
