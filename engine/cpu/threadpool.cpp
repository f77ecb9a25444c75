#include "threadpool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FIREDECK_PAUSE() _mm_pause()
#else
#define FIREDECK_PAUSE() std::this_thread::yield()
#endif

namespace engine::cpu {

namespace {

// ~0.1-1 ms of spinning (depends on the pause latency) before a worker goes to sleep.
constexpr int kSpinIterations = 1 << 13;

void rangeFor(int64_t n, int parts, int index, int64_t &b, int64_t &e)
{
    b = n * index / parts;
    e = n * (index + 1) / parts;
}

} // namespace

ThreadPool::ThreadPool(int threads)
{
    if (threads <= 0)
        threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    m_size = std::min(threads, 256);
    for (int i = 1; i < m_size; ++i)
        m_threads.emplace_back([this, i] { worker(i); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_generation.fetch_add(1, std::memory_order_release);
    }
    m_wake.notify_all();
    for (std::thread &t : m_threads)
        t.join();
}

void ThreadPool::run(int64_t n, Job job, void *ctx)
{
    if (n <= 0)
        return;
    if (m_size == 1 || n == 1) {
        job(ctx, 0, n, 0);
        return;
    }
    bool wake;
    {
        // Publishing under the mutex means a worker deciding to sleep cannot miss this job.
        std::lock_guard lock(m_mutex);
        m_job = job;
        m_ctx = ctx;
        m_n = n;
        m_pending.store(m_size - 1, std::memory_order_relaxed);
        m_generation.fetch_add(1, std::memory_order_release);
        wake = m_sleepers > 0;
    }
    if (wake)
        m_wake.notify_all();
    int64_t b, e;
    rangeFor(n, m_size, 0, b, e);
    if (b < e)
        job(ctx, b, e, 0);
    for (int spins = 0; m_pending.load(std::memory_order_acquire) != 0; ++spins) {
        if (spins < kSpinIterations)
            FIREDECK_PAUSE();
        else
            std::this_thread::yield();
    }
}

void ThreadPool::worker(int index)
{
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (m_generation.load(std::memory_order_acquire) == seen && spins < kSpinIterations) {
            FIREDECK_PAUSE();
            ++spins;
        }
        Job job;
        void *ctx;
        int64_t n;
        {
            std::unique_lock lock(m_mutex);
            if (m_generation.load(std::memory_order_relaxed) == seen) {
                ++m_sleepers;
                m_wake.wait(lock, [&] {
                    return m_stop || m_generation.load(std::memory_order_relaxed) != seen;
                });
                --m_sleepers;
            }
            if (m_stop)
                return;
            seen = m_generation.load(std::memory_order_relaxed);
            job = m_job;
            ctx = m_ctx;
            n = m_n;
        }
        int64_t b, e;
        rangeFor(n, m_size, index, b, e);
        if (b < e)
            job(ctx, b, e, index);
        m_pending.fetch_sub(1, std::memory_order_acq_rel);
    }
}

} // namespace engine::cpu
