#include "shian/http/request_gate.hpp"

namespace shian::http {

void RequestGate::Enter() {
    if (limit_ <= 0) return;
    std::unique_lock lock(mu_);
    if (active_ < limit_ && waiting_.empty()) {
        ++active_;
        return;
    }
    Waiter me;
    waiting_.push_back(&me);
    // Leave notifies under the lock, so `me` outlives its notify.
    me.turn.wait(lock, [&] { return me.admitted; });
}

void RequestGate::Leave() {
    if (limit_ <= 0) return;
    std::lock_guard lock(mu_);
    if (waiting_.empty()) {
        --active_;
        return;
    }
    Waiter* next = waiting_.front();  // the place passes on: active_ stays
    waiting_.pop_front();
    next->admitted = true;
    next->turn.notify_one();
}

int RequestGate::active() const {
    std::lock_guard lock(mu_);
    return active_;
}

int RequestGate::waiting() const {
    std::lock_guard lock(mu_);
    return static_cast<int>(waiting_.size());
}

}  // namespace shian::http
