#include "shian/app/search_index_upkeep.hpp"

#include <utility>

namespace shian::app {

SearchIndexUpkeep::SearchIndexUpkeep(std::function<Result<bool>()> step, const Clock* clock)
    : step_(std::move(step)), clock_(clock), next_(clock->NowMs() + kIdleIntervalMs) {}

Status SearchIndexUpkeep::Tick() {
    const TimeMs now = clock_->NowMs();
    if (now < next_) return Ok();
    Result<bool> more = step_();
    next_ = now + (more.ok() && *more ? kStepIntervalMs : kIdleIntervalMs);
    if (!more.ok()) return more.error();
    return Ok();
}

}  // namespace shian::app
