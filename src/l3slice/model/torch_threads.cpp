#include "l3slice/model/torch_threads.h"

#include <algorithm>
#include <thread>

#include <torch/torch.h>

namespace l3 {

int set_torch_threads(int requested) {
  const int threads = requested > 0 ? requested : int(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  return threads;
}

}  // namespace l3
