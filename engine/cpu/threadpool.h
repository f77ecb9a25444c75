#pragma once

// A small fixed thread pool for data-parallel loops. parallelFor cuts [0, n) into a few chunks
// per thread that threads claim from a shared counter, so a thread the OS deschedules (the
// machine is shared) just claims fewer chunks instead of stalling the whole step; the caller
// takes part and returns when every chunk is done. Dispatch allocates nothing: the job is a
// function pointer plus a context pointer. Workers spin briefly on the job counter before
// sleeping on a condition variable, because a decode step issues ~200 back-to-back dispatches
// and a futex wake-up per dispatch costs more than the small matmuls themselves.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
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

    //! Runs fn(begin, end, threadIndex) over disjoint ranges covering [0, n). threadIndex is
    //! unique among concurrently running calls (< size()), for per-thread scratch buffers.
    template <typename Fn> void parallelFor(int64_t n, Fn &&fn)
    {
        using F = std::remove_reference_t<Fn>;
        run(
            n, [](void *ctx, int64_t b, int64_t e, int t) { (*static_cast<F *>(ctx))(b, e, t); },
            const_cast<void *>(static_cast<const void *>(&fn)));
    }

private:
    using Job = void (*)(void *, int64_t, int64_t, int);
    void run(int64_t n, Job job, void *ctx);
    void worker(int index);
    //! Claims and runs chunks of dispatch `gen` until none are left.
    void drain(uint32_t gen, Job job, void *ctx, int64_t n, int64_t chunks, int index);

    int m_size = 1;
    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<uint64_t> m_generation{0};
    //! (dispatch generation << 32) | next unclaimed chunk: a late worker cannot claim a chunk
    //! of a newer dispatch with an older job.
    std::atomic<uint64_t> m_work{0};
    std::atomic<int64_t> m_done{0};
    int m_sleepers = 0;  //!< guarded by m_mutex
    bool m_stop = false; //!< guarded by m_mutex
    Job m_job = nullptr;
    void *m_ctx = nullptr;
    int64_t m_n = 0, m_chunks = 0;
};

} // namespace engine::cpu
