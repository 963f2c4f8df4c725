// The one source of "now". Every timestamp the service stores or compares comes from a Clock and
// enters SQL as a parameter (never now() inside a statement), so tests can drive time.
#pragma once

#include <atomic>
#include <chrono>

namespace centinela {

using Timestamp = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override { return std::chrono::system_clock::now(); }
};

// A clock that only moves when told to: scenario tests step it past timeouts and expiries.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp now() const override { return Timestamp{Timestamp::duration{now_.load()}}; }
  void advance(std::chrono::system_clock::duration d) { now_ += d.count(); }

 private:
  std::atomic<Timestamp::rep> now_;
};

}  // namespace centinela
