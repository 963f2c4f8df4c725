// The alert lifecycle on PostgreSQL: UPDATE, CLEAR and RETRACT reach exactly the right members,
// closing an alert cancels what is still queued (retries and in-flight texts included), corrections
// and operator texts go first, drills reach only the test group, and the CAP-like fields are stored.
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "dispatcher/alerts/alert_store.hpp"
#include "dispatcher/alerts/followup.hpp"
#include "dispatcher/core/token_hash.hpp"
#include "dispatcher/fanout/fanout_engine.hpp"
#include "dispatcher/fanout/next_step.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "tests/integration/api_call.hpp"
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

using alerts::FollowUpKind;
using alerts::FollowUpOutcome;
using Recipients = std::multiset<std::string>;

class AlertLifecycle : public DispatcherTest {
 protected:
  void exec(const std::string& sql) {
    pqxx::work tx(conn_);
    tx.exec(sql);
    tx.commit();
  }

  // A report row written directly: these tests are about what happens after the decision.
  std::int64_t report(const std::string& code, const std::string& region, std::int64_t incident = 0) {
    pqxx::work tx(conn_);
    const auto id = tx.exec_params1(
                          "INSERT INTO reports (code, region_id, source, text_enc, status, created_at, incident_id) "
                          "VALUES ($1, $2, 'api', '\\x00'::bytea, 'confirmed', to_timestamp($3 / 1e6), NULLIF($4, 0)) "
                          "RETURNING id",
                          code, region, storage::to_micros(clock_.now()), incident)[0]
                        .as<std::int64_t>();
    tx.commit();
    return id;
  }

  std::int64_t create(const std::string& code, const std::string& region, bool exercise = false,
                      const std::string& certainty = "observed") {
    const auto report_id = report(code, region);
    pqxx::work tx(conn_);
    const auto id = alerts::create_alert(tx, *ctx_, {report_id, region, "vans at 3rd St", exercise, certainty, "Beto"});
    tx.commit();
    return id;
  }

  alerts::FollowUpResult follow_up(std::int64_t alert_id, FollowUpKind kind, const std::string& text = "news",
                                   const std::string& op_name = "Beto") {
    pqxx::work tx(conn_);
    auto r = alerts::send_follow_up(tx, *ctx_, op(op_name), "api", alert_id, kind, text);
    tx.commit();
    return r;
  }

  std::int64_t member_id(const std::string& phone) {
    pqxx::read_transaction tx(conn_);
    return tx.exec_params1("SELECT id FROM subscribers WHERE phone_idx = $1",
                           storage::bin(cipher_.blind_index(phone)))[0]
        .as<std::int64_t>();
  }

  // Puts a member's delivery of the alert in `status` (as the sender and receipts would have).
  void set_status(std::int64_t alert_id, const std::string& phone, const std::string& status,
                  const std::string& extra = "") {
    exec("UPDATE deliveries SET status = '" + status + "'" + extra + " WHERE alert_id = " + std::to_string(alert_id) +
         " AND subscriber_id = " + std::to_string(member_id(phone)));
  }

  std::string status_of(std::int64_t alert_id, const std::string& phone) {
    return db_.scalar<std::string>("SELECT status FROM deliveries WHERE alert_id = " + std::to_string(alert_id) +
                                   " AND subscriber_id = " + std::to_string(member_id(phone)));
  }

  std::vector<fanout::OutgoingText> claim(int limit) {
    return fanout::claim_texts(conn_, *ctx_, {"console", "+12135550100", limit}).texts;
  }

  fanout::ChunkResult chunk(std::int64_t alert_id) {
    return fanout::materialize_chunk(conn_, alert_id, 100, clock_.now());
  }

  void clear_outbox() { exec("DELETE FROM outbox"); }

  static constexpr const char* a = "+13235550001";  // sent
  static constexpr const char* b = "+13235550002";  // delivered
  static constexpr const char* c = "+13235550003";  // failed
  static constexpr const char* d = "+13235550004";  // queued
  static constexpr const char* e = "+13235550005";  // sending
  static constexpr const char* f = "+13235550006";  // expired
  static constexpr const char* g = "+13235550007";  // undelivered

  // An alert in la-east whose seven members' originals are in every state.
  std::int64_t alert_in_every_state() {
    for (const auto* phone : {a, b, c, d, e, f, g}) join(phone, "la-east");
    const auto id = create("K7Q3M", "la-east");
    materialize(id);
    set_status(id, a, "sent");
    set_status(id, b, "delivered");
    set_status(id, c, "failed");
    set_status(id, e, "sending", ", sending_at = now()");
    set_status(id, f, "expired");
    set_status(id, g, "undelivered");
    return id;
  }
};

TEST_F(AlertLifecycle, UpdateReachesExactlyTheMembersWhoGotTheAlertAsTheirTextsArrive) {
  const auto original = alert_in_every_state();
  const auto r = follow_up(original, FollowUpKind::update, "two vans left, one stays");
  ASSERT_EQ(r.outcome, FollowUpOutcome::sent);
  EXPECT_EQ(r.members, 2);
  EXPECT_EQ(r.pending, 2) << "the queued and the sending original may still arrive";

  auto step = chunk(r.alert_id);
  EXPECT_EQ(step.planned, 2);
  EXPECT_TRUE(step.waiting) << "the original is still fanning out";
  EXPECT_FALSE(step.done);
  EXPECT_EQ(recipients(r.alert_id), (Recipients{a, b}));

  step = chunk(r.alert_id);  // nothing changed: no spin, no duplicate
  EXPECT_EQ(step.planned, 0);
  EXPECT_TRUE(step.waiting);

  set_status(original, d, "sent");
  set_status(original, e, "failed");
  step = chunk(r.alert_id);
  EXPECT_EQ(step.planned, 1);
  EXPECT_TRUE(step.done) << "the original's fan-out is over";
  EXPECT_EQ(recipients(r.alert_id), (Recipients{a, b, d})) << "never those whose original failed or expired";
  EXPECT_TRUE(fanout::alerts_to_materialize(conn_).empty());

  clear_outbox();
  const auto texts = claim(10);
  ASSERT_EQ(texts.size(), 3u);
  for (const auto& t : texts) {
    EXPECT_EQ(t.alert_id, r.alert_id);
    EXPECT_EQ(t.body.rfind("en:alert_update East LA", 0), 0u) << t.body;
    EXPECT_NE(t.body.find("two vans left, one stays"), std::string::npos) << t.body;
  }
}

TEST_F(AlertLifecycle, ClearCancelsQueuedTextsClosesTheOriginalAndReachesTheSameSet) {
  const auto original = alert_in_every_state();
  // d's retry waits for its backoff: still queued, still cancelled.
  set_status(original, d, "queued", ", not_before = now() + interval '1 minute', attempts = 1");
  const auto r = follow_up(original, FollowUpKind::clear, "");
  ASSERT_EQ(r.outcome, FollowUpOutcome::sent);
  EXPECT_EQ(r.members, 2);
  EXPECT_EQ(r.pending, 1) << "only the text in flight may still arrive";
  EXPECT_EQ(status_of(original, d), "cancelled");
  EXPECT_EQ(status_of(original, e), "sending") << "a text at the provider is not rewritten";
  EXPECT_EQ(fanout::alert_summary(conn_, original)->state, "cleared");

  EXPECT_TRUE(chunk(r.alert_id).waiting);
  clear_outbox();
  // The in-flight text comes back sent: its member gets the all-clear too.
  fanout::OutgoingText in_flight;
  in_flight.id = db_.scalar("SELECT id FROM deliveries WHERE status = 'sending'");
  fanout::record_results(conn_, *ctx_, "console",
                         {fanout::next_step(in_flight, {providers::SendClass::accepted, "SM-e"}, {}, clock_.now(), 0.5)});
  EXPECT_TRUE(chunk(r.alert_id).done);
  EXPECT_EQ(recipients(r.alert_id), (Recipients{a, b, e}));

  const auto texts = claim(10);
  ASSERT_EQ(texts.size(), 3u) << "nothing of the cleared original leaves";
  for (const auto& t : texts) {
    EXPECT_EQ(t.alert_id, r.alert_id);
    EXPECT_EQ(t.body.rfind("en:alert_clear East LA", 0), 0u) << t.body;
    EXPECT_NE(t.body.find("vans at 3rd St"), std::string::npos) << "no text: the original's summary";
  }

  EXPECT_EQ(follow_up(original, FollowUpKind::clear).outcome, FollowUpOutcome::already_cleared);
  EXPECT_EQ(follow_up(original, FollowUpKind::update).outcome, FollowUpOutcome::already_cleared);
  EXPECT_EQ(follow_up(r.alert_id, FollowUpKind::retract).outcome, FollowUpOutcome::already_cleared)
      << "a follow-up's id refers to its original";
}

TEST_F(AlertLifecycle, RetractCancelsAtOnceAndItsCorrectionIsClaimedFirst) {
  join("+13235559999", "la-south");
  const auto earlier = create("AAAAA", "la-south");  // a lower alert id, still queued
  materialize(earlier);
  const auto original = alert_in_every_state();
  set_status(original, d, "queued", ", not_before = now() + interval '1 minute', possible_duplicate = true");
  const auto r = follow_up(original, FollowUpKind::retract, "false alarm: no agents");
  ASSERT_EQ(r.outcome, FollowUpOutcome::sent);
  EXPECT_EQ(status_of(original, d), "cancelled") << "in the same transaction, retries included";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM deliveries WHERE alert_id = " + std::to_string(original) +
                       " AND status = 'queued'"),
            0);
  // Texted: sent, delivered, and d (resent after a crash: it may have arrived). e is still at the
  // provider: it joins the correction only once it turns out sent.
  EXPECT_EQ(r.members, 3);
  EXPECT_EQ(recipients(r.alert_id), (Recipients{a, b, d}));
  EXPECT_EQ(fanout::alerts_to_materialize(conn_), std::vector<std::int64_t>{r.alert_id})
      << "the correction waits for the text in flight";
  EXPECT_EQ(fanout::alert_summary(conn_, original)->state, "retracted");

  clear_outbox();
  const auto texts = claim(3);
  ASSERT_EQ(texts.size(), 3u);
  for (const auto& t : texts) {
    EXPECT_EQ(t.alert_id, r.alert_id) << "corrections go before an older alert's texts";
    EXPECT_EQ(t.body.rfind("en:alert_retract East LA", 0), 0u) << t.body;
  }
  set_status(original, e, "sent", "");
  EXPECT_EQ(fanout::materialize_chunk(conn_, r.alert_id, 100, clock_.now()).planned, 1);
  EXPECT_EQ(recipients(r.alert_id), (Recipients{a, b, d, e}));
  EXPECT_TRUE(fanout::alerts_to_materialize(conn_).empty()) << "nothing of the original is in flight any more";
  const auto late = claim(1);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].alert_id, r.alert_id) << "still ahead of the older alert";
  const auto rest = claim(10);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].alert_id, earlier);

  EXPECT_EQ(follow_up(original, FollowUpKind::retract).outcome, FollowUpOutcome::already_retracted);
  EXPECT_EQ(follow_up(original, FollowUpKind::clear).outcome, FollowUpOutcome::already_retracted);
}

TEST_F(AlertLifecycle, ATextInFlightAtRetractThatComesBackAsARetryIsCancelled) {
  for (const auto* phone : {a, b, c}) join(phone, "la-east");
  const auto original = create("K7Q3M", "la-east");
  materialize(original);
  clear_outbox();
  const auto texts = claim(2);  // a and b are at the provider...
  ASSERT_EQ(texts.size(), 2u);
  ASSERT_EQ(follow_up(original, FollowUpKind::retract).outcome, FollowUpOutcome::sent);  // ...when RETRACT comes
  fanout::record_results(
      conn_, *ctx_, "console",
      {fanout::next_step(texts[0], {providers::SendClass::retryable, "", 429}, {}, clock_.now(), 0.5)});
  EXPECT_EQ(status_of(original, texts[0].to.e164), "cancelled") << "not queued again";
  // The other one is lost with a crash: at restart it is cancelled, not requeued.
  EXPECT_EQ(fanout::requeue_in_doubt(conn_).deliveries_in_doubt, 1);
  EXPECT_EQ(status_of(original, texts[1].to.e164), "cancelled");
  const auto retraction = db_.scalar("SELECT id FROM alerts WHERE msg_type = 'retract'");
  EXPECT_TRUE(fanout::materialize_chunk(conn_, retraction, 100, clock_.now()).done);
  EXPECT_EQ(recipients(retraction), (Recipients{texts[1].to.e164}))
      << "the text lost with the crash may have arrived: its member gets the correction; the one the "
         "provider refused (429) never left: its member gets none";
  clock_.advance(std::chrono::minutes{1});
  for (const auto& t : claim(10)) EXPECT_NE(t.alert_id, original) << "nothing of a retracted alert leaves";
}

TEST_F(AlertLifecycle, ClaimOrderIsOperatorTextsThenAlertsThenRoutineReplies) {
  join(a, "la-east");
  const auto alert = create("K7Q3M", "la-east");
  materialize(alert);
  clear_outbox();
  {
    pqxx::work tx(conn_);
    storage::enqueue_text(tx, *ctx_, {"join_ok", 0, PhoneNumber{"+13235550111"}, "routine", storage::TextPriority::routine});
    storage::enqueue_text(tx, *ctx_, {"operator_new_report", 0, PhoneNumber{"+12135550101"}, "operator"});
    tx.commit();
  }
  const auto first = claim(1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].kind, fanout::TextKind::outbox);
  EXPECT_EQ(first[0].body, "operator");
  const auto second = claim(1);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].kind, fanout::TextKind::delivery);
  const auto third = claim(5);
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].body, "routine");
}

TEST_F(AlertLifecycle, ExercisesReachOnlyTheTestGroupWithThePrefix) {
  for (const auto* phone : {a, b, c}) join(phone, "la-east");
  {
    pqxx::work tx(conn_);
    intake::opt_out(tx, *ctx_, PhoneNumber{"+13235550222"}, "opt_out");
    tx.commit();
  }
  config_.exercise.test_group = {"+15550001111", a, "+13235550222"};  // new, a member, opted out
  reload();
  const auto drill = create("DRILL", "la-east", /*exercise=*/true);
  EXPECT_EQ(recipients(drill), (Recipients{"+15550001111", a})) << "never b, c, nor the opted-out number";
  EXPECT_TRUE(fanout::alerts_to_materialize(conn_).empty()) << "born fully planned";
  EXPECT_EQ(chunk(drill).planned, 0);
  EXPECT_EQ(recipients(drill).size(), 2u);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM subscriptions s JOIN subscribers m ON m.id = s.subscriber_id "
                       "WHERE m.status = 'pending'"),
            0)
      << "the test-group number gains no subscription";
  EXPECT_THROW(exec("UPDATE alerts SET materialized_at = NULL WHERE id = " + std::to_string(drill)),
               pqxx::check_violation)
      << "the schema refuses an exercise the materializer could pick up";

  clear_outbox();
  auto texts = claim(10);
  ASSERT_EQ(texts.size(), 2u) << "the new test-group number is texted too, though not a member";
  for (const auto& t : texts) EXPECT_EQ(t.body.rfind("en:exercise_prefix en:alert East LA", 0), 0u) << t.body;
  std::vector<fanout::SendResult> results;
  for (const auto& t : texts)
    results.push_back(fanout::next_step(t, {providers::SendClass::accepted, "SM" + t.to.e164}, {}, clock_.now(), 0.5));
  fanout::record_results(conn_, *ctx_, "console", results);

  const auto update = follow_up(drill, FollowUpKind::update, "drill continues");
  ASSERT_EQ(update.outcome, FollowUpOutcome::sent);
  EXPECT_TRUE(update.exercise);
  EXPECT_TRUE(chunk(update.alert_id).done);
  EXPECT_EQ(recipients(update.alert_id), (Recipients{"+15550001111", a}));
  EXPECT_EQ(fanout::alert_summary(conn_, update.alert_id)->status, "exercise");
  texts = claim(10);
  ASSERT_EQ(texts.size(), 2u);
  for (const auto& t : texts) EXPECT_EQ(t.body.rfind("en:exercise_prefix en:alert_update", 0), 0u) << t.body;

  const auto real = create("REAL1", "la-east");
  materialize(real);
  EXPECT_EQ(recipients(real), (Recipients{a, b, c})) << "the test-group number is no member";
}

TEST_F(AlertLifecycle, CapFieldsAreStoredAndFollowUpsReferToTheOriginal) {
  join(a, "la-east");
  const auto original = create("K7Q3M", "la-east", false, "likely");
  auto s = fanout::alert_summary(conn_, original);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->msg_type, "alert");
  EXPECT_EQ(s->status, "actual");
  EXPECT_EQ(s->urgency, "immediate");
  EXPECT_EQ(s->severity, "severe");
  EXPECT_EQ(s->certainty, "likely");
  EXPECT_EQ(s->sender, "Beto");
  EXPECT_EQ(s->state, "active");
  EXPECT_EQ(s->references_id, 0);
  EXPECT_EQ(s->expires_at_us - s->created_at_us, std::chrono::microseconds{std::chrono::hours{2}}.count());

  clock_.advance(std::chrono::minutes{30});
  const auto clear = follow_up(original, FollowUpKind::clear, "agents gone", "Ana");
  s = fanout::alert_summary(conn_, clear.alert_id);
  EXPECT_EQ(s->msg_type, "clear");
  EXPECT_EQ(s->references_id, original);
  EXPECT_EQ(s->report_code, "K7Q3M") << "follow-ups share the head report";
  EXPECT_EQ(s->urgency, "past");
  EXPECT_EQ(s->severity, "minor");
  EXPECT_EQ(s->sender, "Ana");
  EXPECT_EQ(s->expires_at_us - s->created_at_us, std::chrono::microseconds{std::chrono::hours{2}}.count());
  EXPECT_NE(fanout::alert_summary(conn_, original)->closed_at_us, 0);

  EXPECT_EQ(db_.scalar<std::string>("SELECT action || ' ' || actor || ' ' || channel FROM report_actions "
                                    "WHERE action = 'clear_sent'"),
            "clear_sent operator:Ana api");
  EXPECT_NE(db_.scalar<std::string>("SELECT detail FROM report_actions WHERE action = 'clear_sent'")
                .find("alert " + std::to_string(clear.alert_id)),
            std::string::npos);
  EXPECT_THROW(exec("INSERT INTO alerts (report_id, region_id, audience_regions, summary, created_at, expires_at) "
                    "SELECT report_id, region_id, audience_regions, 'x', now(), now() FROM alerts WHERE id = " +
                    std::to_string(original)),
               pqxx::unique_violation)
      << "one original alert per report";
}

TEST_F(AlertLifecycle, AnyReportOfAnIncidentFindsTheHeadsAlert) {
  const auto original = create("HEAD1", "la-east");
  const auto head = db_.scalar("SELECT report_id FROM alerts WHERE id = " + std::to_string(original));
  report("LATE2", "la-east", head);
  report("OTHER", "la-south");
  pqxx::read_transaction tx(conn_);
  EXPECT_EQ(alerts::alert_for_report(tx, "HEAD1"), original);
  EXPECT_EQ(alerts::alert_for_report(tx, "late2"), original);
  EXPECT_EQ(alerts::alert_for_report(tx, "OTHER"), std::nullopt);
  EXPECT_EQ(alerts::alert_for_report(tx, "NOPE9"), std::nullopt);
}

TEST_F(AlertLifecycle, FollowUpsAreRefusedOutsideTheOperatorsRegionsAndWithoutWords) {
  const auto original = create("K7Q3M", "la-east");
  EXPECT_EQ(follow_up(original, FollowUpKind::retract, "x", "Cruz").outcome, FollowUpOutcome::not_your_region);
  EXPECT_EQ(follow_up(original + 1000, FollowUpKind::update).outcome, FollowUpOutcome::unknown_alert);
  EXPECT_EQ(follow_up(original, FollowUpKind::update, "  ").outcome, FollowUpOutcome::text_required);
  EXPECT_EQ(follow_up(original, FollowUpKind::update, "ok", "Ana").outcome, FollowUpOutcome::sent)
      << "a parent region covers it";
  EXPECT_EQ(fanout::alert_summary(conn_, original)->state, "active");
}

TEST_F(AlertLifecycle, FollowUpsExpireLikeAlerts) {
  join(a, "la-east");
  const auto original = create("K7Q3M", "la-east");
  materialize(original);
  set_status(original, a, "sent");
  const auto update = follow_up(original, FollowUpKind::update, "still there");
  EXPECT_TRUE(chunk(update.alert_id).done);
  clock_.advance(std::chrono::hours{2} + std::chrono::seconds{1});
  clear_outbox();
  EXPECT_TRUE(claim(10).empty());
  EXPECT_EQ(fanout::expire_overdue(conn_, clock_.now()), 1);
  EXPECT_EQ(status_of(update.alert_id, a), "expired");
}

// The HTTP handlers through the router, on a real database pool; the fan-out is never started
// (wake() only nudges its timers).
class AlertApi : public AlertLifecycle {
 protected:
  void SetUp() override {
    for (auto& o : config_.operators) o.api_token_hash = hash_token("token-" + o.name);
    reload();
  }

  std::pair<int, nlohmann::json> call(const std::string& method, const std::string& target,
                                      const std::string& op_name, const std::string& body = "") {
    return call_api(*ctx_, db_.conninfo(), method, target, "token-" + op_name, body);
  }
};

TEST_F(AlertApi, FollowUpsAnswer201WithTheNewAlertAndGetShowsTheCapFields) {
  const auto original = alert_in_every_state();
  const auto path = "/api/v1/alerts/" + std::to_string(original);
  auto [status, body] = call("POST", path + "/update", "Beto", R"({"text": "one van left"})");
  ASSERT_EQ(status, 201) << body;
  EXPECT_EQ(body["references"], original);
  EXPECT_EQ(body["members"], 2);
  EXPECT_EQ(body["pending"], 2);
  const auto update = body["alert_id"].get<std::int64_t>();

  std::tie(status, body) = call("GET", "/api/v1/alerts/" + std::to_string(update), "Beto");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["msg_type"], "Update");
  EXPECT_EQ(body["response_type"], nullptr);
  EXPECT_EQ(body["references"], original);
  EXPECT_EQ(body["status"], "Actual");

  std::tie(status, body) = call("POST", path + "/retract", "Ana", "");
  ASSERT_EQ(status, 201) << body;
  EXPECT_EQ(body["members"], 2) << "sent and delivered; the one in flight joins if it turns out sent";
  std::tie(status, body) = call("GET", path, "Beto");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["msg_type"], "Alert");
  EXPECT_EQ(body["urgency"], "Immediate");
  EXPECT_EQ(body["severity"], "Severe");
  EXPECT_EQ(body["certainty"], "Observed");
  EXPECT_EQ(body["state"], "retracted");
  EXPECT_EQ(body["references"], nullptr);
  EXPECT_EQ(body["expires"], "2026-11-26T12:00:00+00:00");
  EXPECT_EQ(body["deliveries"]["cancelled"], 1) << "the queued text";
  EXPECT_EQ(body["deliveries"]["total"], 7);

  std::tie(status, body) = call("POST", path + "/clear", "Beto", R"({"text": "gone"})");
  EXPECT_EQ(status, 409) << body;
  EXPECT_EQ(body["error"], "already_retracted");
}

TEST_F(AlertApi, BadRequestsAreRefused) {
  const auto original = create("K7Q3M", "la-east");
  const auto path = "/api/v1/alerts/" + std::to_string(original);
  EXPECT_EQ(call("POST", path + "/update", "Beto", "{not json").first, 400);
  EXPECT_EQ(call("POST", path + "/update", "Beto", R"({"text": 3})").first, 400);
  EXPECT_EQ(call("POST", path + "/update", "Beto", R"({"summary": "x"})").first, 400);
  EXPECT_EQ(call("POST", path + "/update", "Beto", "").first, 400) << "an update needs words";
  EXPECT_EQ(call("POST", path + "/clear", "Cruz", "").first, 404) << "outside Cruz's regions";
  EXPECT_EQ(call("POST", "/api/v1/alerts/999/clear", "Beto", "").first, 404);
  EXPECT_EQ(call("POST", "/api/v1/alerts/abc/clear", "Beto", "").first, 404);
  EXPECT_EQ(call("POST", path + "/clear", "Nobody", "").first, 401);
  const auto [status, body] = call("POST", path + "/clear", "Beto", R"({"text": "all clear"})");
  EXPECT_EQ(status, 201) << body;
  EXPECT_EQ(call("POST", path + "/update", "Beto", R"({"text": "more"})").first, 409);
}

}  // namespace
}  // namespace centinela::testing
