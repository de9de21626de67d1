#pragma once
// fn(i) for i in [0, n) on up to `threads` threads (0: all hardware threads), each thread taking
// every threads-th index. Results must go to per-index slots, so the outcome does not depend on
// the thread count. The first exception thrown is rethrown after all threads have finished.
#include <cstddef>
#include <functional>

namespace l3 {

void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& fn);

}  // namespace l3
