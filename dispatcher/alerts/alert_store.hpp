// Creating an original alert. An alert is CAP-like: msg_type, status (actual | exercise), urgency,
// severity, certainty and a required expiry. An actual alert's members are planned by the
// fan-out's materializer; an exercise (drill) alert reaches only the configured test group, whose
// deliveries are written here, so the materializer never selects members for it.
#pragma once

#include <cstdint>
#include <string>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"

namespace centinela::alerts {

struct NewAlert {
  std::int64_t report_id;        // the incident's head report: one original alert per report
  std::string region_id;
  std::string summary;           // the operator's words, never the reporter's
  bool exercise = false;         // a drill: only exercise.test_group is texted, with the prefix
  std::string certainty = "observed";  // CAP certainty: observed (verified), likely, possible...
  std::string sender;            // who sent it (CAP sender), e.g. the confirming operator; may be empty
};

// Inserts the alert (expires at now + alerts.expiry) and, for an exercise, its test-group
// deliveries. Test-group numbers that are not members get a subscriber row ('pending', no
// subscriptions: no member alert can reach them); opted-out numbers are not texted.
// Returns the alert id. Wake the fan-out after the commit.
std::int64_t create_alert(pqxx::work& tx, const Context& ctx, const NewAlert& alert);

}  // namespace centinela::alerts
