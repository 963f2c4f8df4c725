// The retry policy: one pure function decides what a provider's answer means for a text.
#include <gtest/gtest.h>

#include "dispatcher/fanout/next_step.hpp"

namespace centinela::fanout {
namespace {

using providers::SendClass;
using namespace std::chrono_literals;

const Timestamp now = Timestamp{} + std::chrono::hours{1000};

OutgoingText text_with_hours_to_live(int attempts) {
  OutgoingText text;
  text.attempts = attempts;
  text.expires_at = now + 2h;
  text.retry_until = text.expires_at;
  return text;
}

TEST(NextStep, ClassesMapToStates) {
  const RetryPolicy policy;
  const auto text = text_with_hours_to_live(1);
  EXPECT_EQ(next_step(text, {SendClass::accepted, "SM1"}, policy, now, 0.5).state, NextState::sent);
  EXPECT_EQ(next_step(text, {SendClass::permanent}, policy, now, 0.5).state, NextState::failed);
  const auto opted = next_step(text, {SendClass::opted_out}, policy, now, 0.5);
  EXPECT_EQ(opted.state, NextState::failed);
  EXPECT_TRUE(opted.recipient_opted_out);
  const auto retry = next_step(text, {SendClass::retryable}, policy, now, 0.0);
  EXPECT_EQ(retry.state, NextState::queued);
  ASSERT_TRUE(retry.retry_at);
  EXPECT_EQ(*retry.retry_at - now, policy.first_backoff / 2) << "equal jitter: half the backoff at the least";
}

TEST(NextStep, TransientFailuresAreRetriedWhileTheAlertIsLiveHoweverManyAttempts) {
  const RetryPolicy policy;
  for (const int attempts : {1, 3, 10, 100, 10'000}) {
    const auto r = next_step(text_with_hours_to_live(attempts), {SendClass::retryable}, policy, now, 0.99);
    EXPECT_EQ(r.state, NextState::queued) << attempts << " attempts";
    ASSERT_TRUE(r.retry_at);
    EXPECT_LE(*r.retry_at - now, policy.max_backoff) << "the backoff is capped";
    EXPECT_TRUE(r.counts_as_attempt);
  }
}

TEST(NextStep, BackoffDoublesUpToTheCapWithJitter) {
  const RetryPolicy policy;
  EXPECT_EQ(policy.backoff(1), 1s);
  EXPECT_EQ(policy.backoff(3), 4s);
  EXPECT_EQ(policy.backoff(30), policy.max_backoff);
  EXPECT_EQ(policy.jittered_backoff(3, 0.0), 2s);
  EXPECT_EQ(policy.jittered_backoff(3, 0.5), 3s);
  EXPECT_LT(policy.jittered_backoff(3, 0.999), 4s + 1ms);
}

TEST(NextStep, AFailureAtTheDeadlineExpiresTheText) {
  const RetryPolicy policy;
  auto text = text_with_hours_to_live(2);
  text.retry_until = now;
  const auto r = next_step(text, {SendClass::retryable, "", 500, "http 500"}, policy, now, 0.5);
  EXPECT_EQ(r.state, NextState::expired);
  EXPECT_NE(r.error.find("http 500"), std::string::npos);
}

TEST(NextStep, ARetryIsNeverPlannedPastTheDeadline) {
  const RetryPolicy policy;
  auto text = text_with_hours_to_live(20);
  text.retry_until = now + 5s;  // the backoff would be 30 s
  const auto r = next_step(text, {SendClass::retryable}, policy, now, 0.5);
  EXPECT_EQ(r.state, NextState::queued);
  EXPECT_LT(*r.retry_at, text.retry_until);
}

TEST(NextStep, AThrottledAnswerIsNoAttemptAndWaitsForRetryAfter) {
  const RetryPolicy policy;
  providers::SendOutcome throttled{SendClass::throttled, "", 429};
  throttled.retry_after = 7s;
  const auto r = next_step(text_with_hours_to_live(1), throttled, policy, now, 0.5);
  EXPECT_EQ(r.state, NextState::queued);
  EXPECT_FALSE(r.counts_as_attempt);
  EXPECT_EQ(*r.retry_at - now, 7s);
  EXPECT_EQ(throttle_hold(throttled, policy), 7s);
  EXPECT_EQ(throttle_hold({SendClass::throttled}, policy), policy.throttle_pause) << "no Retry-After: the pause";
}

TEST(NextStep, RetryAfterOnAServerErrorIsHonoured) {
  const RetryPolicy policy;
  providers::SendOutcome busy{SendClass::retryable, "", 503};
  busy.retry_after = 20s;
  EXPECT_EQ(*next_step(text_with_hours_to_live(1), busy, policy, now, 0.5).retry_at - now, 20s);
}

}  // namespace
}  // namespace centinela::fanout
