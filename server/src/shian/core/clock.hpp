// Clock: the only source of "now" for domain code, injected so tests control time.
// SystemClock reads the real time; FakeClock is set and advanced by tests.
// Thread-safety: both implementations are safe to call from several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace shian {

// Milliseconds since the Unix epoch, UTC.
using TimeMs = int64_t;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimeMs NowMs() const = 0;
};

class SystemClock final : public Clock {
public:
    TimeMs NowMs() const override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
};

class FakeClock final : public Clock {
public:
    explicit FakeClock(TimeMs start) : now_(start) {}
    TimeMs NowMs() const override { return now_.load(); }
    void Advance(TimeMs ms) { now_ += ms; }
    void Set(TimeMs ms) { now_ = ms; }

private:
    std::atomic<TimeMs> now_;
};

constexpr TimeMs kMinuteMs = 60'000;

// "2026-11-25T16:40:00Z" (UTC, second precision). Empty for 0.
std::string FormatIsoUtc(TimeMs ms);
// Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC); false when malformed.
bool ParseIsoUtc(std::string_view text, TimeMs* out);

}  // namespace shian
