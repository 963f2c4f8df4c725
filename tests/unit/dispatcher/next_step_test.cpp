// The retry policy: one pure function decides what a provider's answer means for a text.
#include <gtest/gtest.h>

#include "dispatcher/fanout/next_step.hpp"

namespace centinela::fanout {
namespace {

using providers::SendClass;

TEST(NextStep, ClassesMapToStates) {
  const RetryPolicy policy;
  const Timestamp now{};
  OutgoingText text;
  text.attempts = 1;
  EXPECT_EQ(next_step(text, {SendClass::accepted, "SM1"}, policy, now).status, "sent");
  EXPECT_EQ(next_step(text, {SendClass::permanent}, policy, now).status, "failed");
  const auto opted = next_step(text, {SendClass::opted_out}, policy, now);
  EXPECT_EQ(opted.status, "failed");
  EXPECT_TRUE(opted.recipient_opted_out);
  const auto retry = next_step(text, {SendClass::retryable}, policy, now);
  EXPECT_EQ(retry.status, "queued");
  ASSERT_TRUE(retry.retry_at);
  EXPECT_EQ(*retry.retry_at - now, std::chrono::seconds{2});
}

TEST(NextStep, RetriesStopAtTheLimitAndHonorRetryAfter) {
  const RetryPolicy policy;
  OutgoingText text;
  text.attempts = policy.max_attempts;
  EXPECT_EQ(next_step(text, {SendClass::retryable}, policy, {}).status, "failed");
  text.attempts = 1;
  providers::SendOutcome slow{SendClass::retryable};
  slow.retry_after = std::chrono::seconds{30};
  EXPECT_EQ(*next_step(text, slow, policy, {}).retry_at - Timestamp{}, std::chrono::seconds{30});
  EXPECT_EQ(policy.backoff(3), std::chrono::seconds{8});
  EXPECT_EQ(policy.backoff(30), policy.max_backoff);
}

}  // namespace
}  // namespace centinela::fanout
