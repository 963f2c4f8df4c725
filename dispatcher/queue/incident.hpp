// Incidents: a crowd of sightings of one raid is one piece of work. An incident is known by its
// first report (its head); later reports point at it. Every operator command names some report of
// the incident, and acts on the head: one owner, one escalation clock, one checklist, one alert.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/queue/responder_queue.hpp"

namespace centinela::queue {

struct Incident {
  std::int64_t id = 0;          // the head report
  std::string code;             // the head's code
  std::string region_id;        // empty: unknown
  std::string status;           // pending, confirmed, rejected
  std::string claimed_by;       // empty: unclaimed, or the claim has lapsed
  bool exercise = false;
  std::int64_t report_id = 0;   // the report the operator named (the head itself, or a member)
  std::string report_code;
};

// The incident `code` belongs to, its head locked FOR UPDATE until `tx` ends.
std::optional<Incident> lock_incident(pqxx::work& tx, const std::string& code, Timestamp now);

// Why `actor` may not act on the incident (unknown, outside their regions, or, with
// `must_be_pending`, already decided); nullopt when they may.
std::optional<Decision> refuse_command(const Context& ctx, const Actor& actor, const std::optional<Incident>& incident,
                                       const std::string& code, bool must_be_pending = true);

struct OpenIncident {
  std::int64_t id = 0;  // the head
  std::string code;
  bool confirmed = false;  // decided already: the new report is covered by its alert
};

// The incident a new report of `region_id` joins: one of the same region, its parent or one of
// its children, started within incidents.window, pending or confirmed (a sighting of a raid
// already alerted must not page everyone again and end in a second alert), drills only with
// drills. A report of unknown region never joins: it could be anywhere. nullopt: none.
std::optional<OpenIncident> open_incident_for(pqxx::work& tx, const Context& ctx, const std::string& region_id,
                                              bool exercise, Timestamp now);

// Who hears of a further report of the incident: its owner while the claim is live, else
// everyone paged about it or who confirmed it.
std::vector<std::string> incident_watchers(pqxx::transaction_base& tx, std::int64_t head_id, Timestamp now);

// Owner activity (a note, evidence, a question) keeps their claim alive for another lease.
void renew_claim(pqxx::work& tx, const Context& ctx, const Incident& incident, const Actor& actor);

}  // namespace centinela::queue
