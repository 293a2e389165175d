#include "native/core/thread-pool.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

namespace lamina {
namespace {

// About 30 to 100 microseconds of polling before an idle worker sleeps.
constexpr int kWorkerSpins = 4000;
// Polls of the caller waiting for pieces still running, before it yields its core.
constexpr int kCallerSpins = 2000;

inline void pause_briefly() {
#if defined(__x86_64__) || defined(_M_X64)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { worker_loop(t); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_.store(true);
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::drain(const Job& job, int thread) {
  for (;;) {
    uint64_t claim = next_.load(std::memory_order_relaxed);
    do {
      if (static_cast<uint32_t>(claim >> 32) != job.generation ||
          static_cast<int>(claim & 0xffffffffu) >= job.count) {
        return;
      }
    } while (!next_.compare_exchange_weak(claim, claim + 1, std::memory_order_acq_rel));
    try {
      (*job.body)(static_cast<int>(claim & 0xffffffffu), thread);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
    done_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void ThreadPool::worker_loop(int thread) {
  uint32_t seen = 0;
  for (;;) {
    // Wait for a job newer than the last one seen: poll a little, then sleep.
    int spins = 0;
    while (generation_.load(std::memory_order_acquire) == seen && !stopping_.load()) {
      if (++spins < kWorkerSpins) {
        pause_briefly();
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load() != seen || stopping_.load(); });
    }
    if (stopping_.load()) return;
    Job job;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job = job_;
    }
    seen = job.generation;
    drain(job, thread);
  }
}

void ThreadPool::run(int count, const std::function<void(int, int)>& body) {
  if (count <= 0) return;
  if (workers_.empty() || count == 1) {
    for (int i = 0; i < count; ++i) body(i, 0);
    return;
  }

  // Step 1: publish the job and wake sleeping workers.
  Job job;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job.body = &body;
    job.count = count;
    job.generation = job_.generation + 1;
    job_ = job;
    done_.store(0, std::memory_order_relaxed);
    next_.store(static_cast<uint64_t>(job.generation) << 32, std::memory_order_release);
    generation_.store(job.generation, std::memory_order_release);
  }
  wake_.notify_all();

  // Step 2: take part, then wait for the pieces others still run.
  drain(job, 0);
  int spins = 0;
  while (done_.load(std::memory_order_acquire) < count) {
    if (++spins < kCallerSpins) {
      pause_briefly();
    } else {
      std::this_thread::yield();
    }
  }
  std::exception_ptr error;
  {
    std::lock_guard<std::mutex> lock(error_mutex_);
    std::swap(error, error_);
  }
  if (error) std::rethrow_exception(error);
}

void parallel_for(ThreadPool* pool, int count, const std::function<void(int, int)>& body) {
  if (pool != nullptr) {
    pool->run(count, body);
    return;
  }
  for (int i = 0; i < count; ++i) body(i, 0);
}

}  // namespace lamina
