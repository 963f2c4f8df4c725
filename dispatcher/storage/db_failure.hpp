// Which database failures mean "the database is unavailable: retry later" (a 503 with
// Retry-After at the HTTP edge) and which are bugs (a 500). One pure function, so the list of
// SQLSTATEs is written and tested once.
#pragma once

#include <exception>
#include <string_view>

namespace centinela::storage {

// Class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
// cannot_connect_now (starting up, in recovery), 57014 query_canceled (our statement_timeout,
// or an administrator's pg_cancel_backend).
bool is_unavailable_sqlstate(std::string_view sqlstate);

// True for a lost, refused or timed-out connection (pqxx::broken_connection, including
// too_many_connections), a commit or statement whose outcome is unknown (pqxx::in_doubt_error,
// statement_completion_unknown: the client's retry is what settles it) and the SQLSTATEs above.
// Everything else (constraint violations, syntax errors, a bug of ours) is false.
bool is_database_unavailable(const std::exception& e);

// True when the connection was lost during a commit or a statement, so what it wrote may or may
// not be stored (pqxx::in_doubt_error, statement_completion_unknown).
bool is_outcome_unknown(const std::exception& e);

}  // namespace centinela::storage
