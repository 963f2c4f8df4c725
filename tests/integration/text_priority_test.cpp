// The order in which queued texts leave a sender: operator texts (notifications, escalations,
// answers to operators) first, then member alerts, then routine replies to members, whatever the
// order in which they were queued.
#include <map>

#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

constexpr const char* stranger = "+13235559999";
constexpr int alert_class = 1;  // deliveries sit between the two outbox classes

class TextPriority : public DispatcherTest {
 protected:
  intake::InboundResult receive(const std::string& id, const std::string& from, const std::string& body) {
    return intake::apply_inbound_sms(conn_, *ctx_, "console", sms(id, from, body));
  }

  // The class of each claimed text: an outbox text's priority, or alert_class for a delivery.
  std::vector<int> classes(const std::vector<fanout::OutgoingText>& texts) {
    std::map<std::int64_t, int> priority;
    pqxx::read_transaction tx(conn_);
    for (const auto& row : tx.exec("SELECT id, priority FROM outbox"))
      priority[row[0].as<std::int64_t>()] = row[1].as<int>();
    std::vector<int> out;
    for (const auto& t : texts)
      out.push_back(t.kind == fanout::TextKind::delivery ? alert_class : priority.at(t.id));
    return out;
  }

  std::vector<fanout::OutgoingText> claim(int limit) {
    return fanout::claim_texts(conn_, *ctx_, {"console", "+12135550100", limit}).texts;
  }
};

TEST_F(TextPriority, OperatorTextsThenAlertsThenRoutineReplies) {
  for (const auto* member : {"+13235550001", "+13235550002", "+13235550003"}) join(member, "la-east");
  // Queued in the worst order: the routine reply first, the operator's answer last.
  EXPECT_EQ(receive("SM1", stranger, "HELP").reply.rfind("en:help", 0), 0u);
  const auto d = confirm("Beto", file("vans", "la-east").code);  // pages the operators of la-east
  ASSERT_EQ(d.outcome, queue::Outcome::alert_created);
  EXPECT_EQ(materialize(d.alert_id), 3);
  EXPECT_EQ(receive("SM2", "+12135550102", "what do I do?").reply, "en:operator_help");

  const auto operator_texts = db_.scalar("SELECT count(*) FROM outbox WHERE status = 'queued' AND priority = 0");
  ASSERT_GE(operator_texts, 2) << "at least the page and the answer to Beto";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE status = 'queued' AND priority = 2"), 1);

  // A batch with room for the operator texts and one alert text: the routine reply waits.
  const auto first = claim(static_cast<int>(operator_texts) + 1);
  std::vector<int> expected(operator_texts, 0);
  expected.push_back(alert_class);
  EXPECT_EQ(classes(first), expected);
  EXPECT_EQ(first.back().kind, fanout::TextKind::delivery);

  // The next batch: the rest of the alert, and only then the reply to the stranger.
  const auto rest = claim(100);
  EXPECT_EQ(classes(rest), (std::vector<int>{alert_class, alert_class, 2}));
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().to.e164, stranger);
  EXPECT_EQ(rest.back().body.rfind("en:help", 0), 0u);
  EXPECT_TRUE(claim(100).empty());
}

}  // namespace
}  // namespace centinela::testing
