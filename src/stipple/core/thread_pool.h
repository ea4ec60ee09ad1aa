// stipple/core/thread_pool.h: a fixed set of worker threads for parallel loops.
//
// Owned by the caller and passed in to whatever runs in parallel (never a
// hidden global). `for_each(n, fn)` calls fn(i) once for every i in [0, n),
// spread over the workers and the calling thread, and returns when all calls
// have finished. fn must not throw. Results must not depend on which thread ran
// which index: callers write to index-owned slots and merge in index order.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace stipple {

class ThreadPool {
 public:
  // `threads` in total including the caller; 1 runs everything inline.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }
  void for_each(std::size_t n, const std::function<void(std::size_t)>& fn);

 private:
  void work();
  void drain();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* job_ = nullptr;
  std::size_t n_ = 0, next_ = 0, finished_ = 0;
  std::size_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace stipple
