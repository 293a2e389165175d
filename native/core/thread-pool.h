// A small pool of worker threads for the training loop and prediction, built so that a busy
// machine does not stall it: the calling thread takes part, work is claimed piece by piece
// from a shared counter, and a job is finished as soon as every piece is done, without waiting
// for workers that never woke up for it (an OpenMP region must wait for every thread of its
// team, which costs a whole time slice when another process holds a core). Idle workers spin
// for a few tens of microseconds, then sleep.
//
// One pool per training run or prediction, owned by its caller: no state is shared between
// pools, models or JavaScript environments.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lamina {

class ThreadPool {
 public:
  // A pool of `threads` threads in all: the caller and threads - 1 workers.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs body(index, thread) for every index in [0, count), thread in [0, size()), and returns
  // when all are done. The first exception a body throws is rethrown here.
  void run(int count, const std::function<void(int, int)>& body);

 private:
  struct Job {
    const std::function<void(int, int)>* body = nullptr;
    int count = 0;
    uint32_t generation = 0;
  };

  void worker_loop(int thread);
  void drain(const Job& job, int thread);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  Job job_;                                // guarded by mutex_
  std::atomic<uint32_t> generation_{0};
  std::atomic<uint64_t> next_{0};          // generation << 32 | next index to claim
  std::atomic<int> done_{0};
  std::atomic<bool> stopping_{false};
  std::mutex error_mutex_;
  std::exception_ptr error_;
};

// Runs body(index, thread) for index in [0, count): on the pool when there is one, else on
// the calling thread (thread 0).
void parallel_for(ThreadPool* pool, int count, const std::function<void(int, int)>& body);

}  // namespace lamina
