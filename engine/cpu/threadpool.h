#pragma once

// A small fixed thread pool for data-parallel loops. parallelFor splits [0, n) into one
// contiguous range per thread (the caller runs the first) and returns when all are done.
// Dispatch allocates nothing: the job is a function pointer plus a context pointer.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace engine::cpu {

//! Fixed-size pool; threads live as long as the pool.
class ThreadPool
{
public:
    //! `threads` = total workers including the calling thread (0 = hardware concurrency).
    explicit ThreadPool(int threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    int size() const { return m_size; }

    //! Runs fn(begin, end, threadIndex) over [0, n) split into size() ranges.
    template <typename Fn> void parallelFor(int64_t n, Fn &&fn)
    {
        run(
            n, [](void *ctx, int64_t b, int64_t e, int t) { (*static_cast<Fn *>(ctx))(b, e, t); },
            &fn);
    }

private:
    using Job = void (*)(void *, int64_t, int64_t, int);
    void run(int64_t n, Job job, void *ctx);
    void worker(int index);

    int m_size = 1;
    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    uint64_t m_generation = 0;
    int m_pending = 0;
    bool m_stop = false;
    Job m_job = nullptr;
    void *m_ctx = nullptr;
    int64_t m_n = 0;
};

} // namespace engine::cpu
