#pragma once
// libtorch starts with one thread: every program that runs a network sets the count itself.

namespace l3 {

// Sets libtorch's intra-op threads to `requested`, or to every core if it is 0; returns the count.
int set_torch_threads(int requested);

}  // namespace l3
