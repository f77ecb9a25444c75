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
// Chunks per thread: enough to rebalance around a descheduled thread, few enough that the
// shared counter is not contended and each chunk streams a long contiguous run of rows.
constexpr int64_t kChunksPerThread = 8;

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

void ThreadPool::drain(uint32_t gen, Job job, void *ctx, int64_t n, int64_t chunks, int index)
{
    uint64_t w = m_work.load(std::memory_order_acquire);
    for (;;) {
        if (static_cast<uint32_t>(w >> 32) != gen)
            return;
        const int64_t chunk = static_cast<int64_t>(w & 0xFFFFFFFFu);
        if (chunk >= chunks)
            return;
        if (!m_work.compare_exchange_weak(w, w + 1, std::memory_order_acq_rel,
                                          std::memory_order_acquire))
            continue;
        const int64_t b = n * chunk / chunks, e = n * (chunk + 1) / chunks;
        if (b < e)
            job(ctx, b, e, index);
        m_done.fetch_add(1, std::memory_order_acq_rel);
        w = m_work.load(std::memory_order_acquire);
    }
}

void ThreadPool::run(int64_t n, Job job, void *ctx)
{
    if (n <= 0)
        return;
    if (m_size == 1 || n == 1) {
        job(ctx, 0, n, 0);
        return;
    }
    const int64_t chunks = std::min<int64_t>(n, m_size * kChunksPerThread);
    bool wake;
    uint32_t gen;
    {
        // Publishing under the mutex means a worker deciding to sleep cannot miss this job.
        std::lock_guard lock(m_mutex);
        m_job = job;
        m_ctx = ctx;
        m_n = n;
        m_chunks = chunks;
        m_done.store(0, std::memory_order_relaxed);
        gen = static_cast<uint32_t>(m_generation.load(std::memory_order_relaxed) + 1);
        m_work.store(static_cast<uint64_t>(gen) << 32, std::memory_order_release);
        m_generation.fetch_add(1, std::memory_order_release);
        wake = m_sleepers > 0;
    }
    if (wake)
        m_wake.notify_all();
    drain(gen, job, ctx, n, chunks, 0);
    for (int spins = 0; m_done.load(std::memory_order_acquire) != chunks; ++spins) {
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
        int64_t n, chunks;
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
            chunks = m_chunks;
        }
        drain(static_cast<uint32_t>(seen), job, ctx, n, chunks, index);
    }
}

} // namespace engine::cpu
