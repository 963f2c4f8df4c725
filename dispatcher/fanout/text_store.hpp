// The durable side of the fan-out: every state change of a text is a statement here, run on a
// database thread. The state machine is queued -> sending (committed before the HTTP request) ->
// sent / failed / expired, then receipts move sent -> delivered / undelivered.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/fanout/outgoing.hpp"
#include "providers/provider.hpp"

namespace centinela::fanout {

struct ClaimRequest {
  std::string provider;
  std::string sender;
  int limit = 1;
  // Live alerts share the sender: the one after this id goes first in this batch's split, so the
  // share left over when the batch does not divide evenly goes round too.
  std::int64_t rotate_after_alert = 0;
};

struct ClaimedBatch {
  std::vector<OutgoingText> texts;
  std::int64_t first_alert = 0;  // the alert served first: the next claim rotates past it
  long long undecryptable = 0;   // rows whose number or body did not open: failed, never sent
};

// Claims up to `limit` texts, marking them `sending` and committing before returning, with bodies
// rendered in each member's language. Order: operator outbox texts (priority 0); then alert
// deliveries: retraction corrections first, then every live alert's texts in equal shares,
// interleaved (a new raid alert never waits behind an older alert's whole list); then routine
// outbox texts (priority 2). Never a text of an expired alert or of one closed by CLEAR/RETRACT,
// nor an outbox text past its deadline; every text of an exercise starts with the exercise prefix.
// A row whose number or body does not decrypt is failed as `undecryptable` in the same
// transaction (logged without the number) and the others are claimed as usual.
ClaimedBatch claim_texts(pqxx::connection& c, const Context& ctx, const ClaimRequest& req);

// Alerts closed (CLEAR, RETRACT) since `since`: the senders drop their texts already claimed
// but not yet sent, so a retraction pre-empts the batches in flight too, not only the queue.
std::vector<std::int64_t> alerts_closed_since(pqxx::connection& c, Timestamp since);

// Records what happened to claimed texts, in one transaction, and applies receipts that arrived
// before their send was recorded. Members whose provider reports them opted out are opted out. A
// delivery that comes back as a retry after its alert was closed is cancelled, not queued.
void record_results(pqxx::connection& c, const Context& ctx, const std::string& provider,
                    const std::vector<SendResult>& results);

struct ResumeCounts {
  long long deliveries_in_doubt = 0;
  long long outbox_in_doubt = 0;
};
// At start-up: texts found in `sending` may or may not have reached the provider. They are
// queued again and flagged as possible duplicates, so a crash costs at most one extra copy of
// the texts that were in flight, and the count is visible per alert. (Those of a closed alert
// are cancelled instead.)
ResumeCounts requeue_in_doubt(pqxx::connection& c);

// While running: texts (deliveries and one-off texts) left `sending` since before `sending_before`
// were lost by this process (a record that gave up); they are queued again as possible
// duplicates. Returns how many.
long long requeue_stale(pqxx::connection& c, Timestamp sending_before);

// Queued deliveries of expired alerts, and queued one-off texts past their deadline, become
// `expired`: never sent late. Returns how many.
long long expire_overdue(pqxx::connection& c, Timestamp now);

// Queued texts of a cleared or retracted alert become `cancelled`: a retry recorded while the
// alert was being closed can land after the close cancelled the rest. They would never be sent,
// but would keep the follow-up waiting for the original to finish. Returns how many.
long long cancel_leftovers_of_closed(pqxx::connection& c, Timestamp now);

// Alerts whose deliveries are not all materialized yet.
std::vector<std::int64_t> alerts_to_materialize(pqxx::connection& c);

struct ChunkResult {
  long long planned = 0;  // deliveries created by this chunk
  bool done = false;      // the whole audience is materialized
  bool waiting = false;   // a follow-up whose original is still fanning out: look again next poll
};
// Turns the next `chunk` members of the alert's audience into queued deliveries (one per member,
// however many of the audience's regions they joined), in one transaction. An original selects
// members of its audience (never for an exercise, whose test group is planned at creation); an
// UPDATE or CLEAR selects the members whose original was sent or delivered, and keeps growing
// until the original's fan-out is over (see alerts/followup.hpp).
ChunkResult materialize_chunk(pqxx::connection& c, std::int64_t alert_id, std::size_t chunk, Timestamp now);

// Plans up to `chunk` texts of a follow-up for the members its original reached (sent or
// delivered) and who lack it; marks it fully planned once nothing of the original can still reach
// anyone. `correction` (a RETRACT's): claimed ahead of every other alert, and texts in flight at
// the retraction count only if they turn out sent: one dropped at send time never left.
ChunkResult plan_follow_up(pqxx::work& tx, std::int64_t alert_id, std::int64_t original_id, bool correction,
                           std::size_t chunk, Timestamp now);

struct AlertSummary {
  std::int64_t id = 0;
  std::string report_code;
  std::string region_id;
  std::int64_t created_at_us = 0;
  std::int64_t expires_at_us = 0;
  bool materialized = false;
  std::string msg_type;   // alert, update, clear, retract
  std::string status;     // actual, exercise
  std::string urgency;    // CAP urgency, lower case
  std::string severity;
  std::string certainty;
  std::int64_t references_id = 0;  // follow-ups: the original alert
  std::string state;      // active, cleared, retracted
  std::string sender;
  std::int64_t closed_at_us = 0;  // 0: open
  std::map<std::string, long long> by_status;
  long long possible_duplicates = 0;
  long long undecryptable = 0;  // failed because the stored number or words did not open
};
std::optional<AlertSummary> alert_summary(pqxx::connection& c, std::int64_t alert_id);

// A delivery receipt from a provider's status webhook: stored, and applied when it moves the
// delivery forward (receipts come late, twice and out of order).
void apply_receipt(pqxx::connection& c, const std::string& provider, const providers::DeliveryReceipt& r,
                   Timestamp now);

}  // namespace centinela::fanout
