// RequestGate: how many requests the server works on at once, and in what order the others
// wait (arrival order).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>

namespace shian::http {

// Lets at most `limit` requests through at a time, the others in the order they came; a
// limit of 0 or less lets every request through at once.
//
// Why: the server runs a thread per connection, and the machine has few cores. When sixteen
// requests run at once on two cores, a search that needs 6 ms of CPU takes ~50 ms beside
// fifteen others, and every request sharing the cores with it is slowed the same way: a
// mix's p99 is its slowest kind's CPU time times the connections per core. Let in a few at a
// time in arrival order, each request waits for the work ahead of it and then runs at full
// speed (measured in docs/performance.md, "Requests take turns"). A leaving request hands its
// place to the longest waiting one and wakes that thread only.
class RequestGate {
public:
    explicit RequestGate(int limit) : limit_(limit) {}
    RequestGate(const RequestGate&) = delete;
    RequestGate& operator=(const RequestGate&) = delete;

    // Blocks until the caller may go on; every Enter must be followed by one Leave.
    void Enter();
    void Leave();

    // Requests through the gate now, and waiting for it.
    int active() const;
    int waiting() const;

private:
    struct Waiter {
        std::condition_variable turn;
        bool admitted = false;
    };
    const int limit_;
    mutable std::mutex mu_;
    std::deque<Waiter*> waiting_;
    int active_ = 0;
};

// Holds a place in a gate (none when null) for its lifetime.
class GatePass {
public:
    explicit GatePass(RequestGate* gate) : gate_(gate) {
        if (gate_ != nullptr) gate_->Enter();
    }
    ~GatePass() {
        if (gate_ != nullptr) gate_->Leave();
    }
    GatePass(const GatePass&) = delete;
    GatePass& operator=(const GatePass&) = delete;

private:
    RequestGate* gate_;
};

}  // namespace shian::http
