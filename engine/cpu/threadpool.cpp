#include "threadpool.h"

#include <algorithm>

namespace engine::cpu {

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
    }
    m_wake.notify_all();
    for (std::thread &t : m_threads)
        t.join();
}

static void rangeFor(int64_t n, int parts, int index, int64_t &b, int64_t &e)
{
    b = n * index / parts;
    e = n * (index + 1) / parts;
}

void ThreadPool::run(int64_t n, Job job, void *ctx)
{
    if (n <= 0)
        return;
    const int parts = static_cast<int>(std::min<int64_t>(m_size, n));
    if (parts == 1) {
        job(ctx, 0, n, 0);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_job = job;
        m_ctx = ctx;
        m_n = n;
        m_pending = m_size - 1;
        ++m_generation;
    }
    m_wake.notify_all();
    int64_t b, e;
    rangeFor(n, m_size, 0, b, e);
    if (b < e)
        job(ctx, b, e, 0);
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [this] { return m_pending == 0; });
}

void ThreadPool::worker(int index)
{
    uint64_t seen = 0;
    for (;;) {
        Job job;
        void *ctx;
        int64_t n;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_generation != seen; });
            if (m_stop)
                return;
            seen = m_generation;
            job = m_job;
            ctx = m_ctx;
            n = m_n;
        }
        int64_t b, e;
        rangeFor(n, m_size, index, b, e);
        if (b < e)
            job(ctx, b, e, index);
        {
            std::lock_guard lock(m_mutex);
            if (--m_pending == 0)
                m_done.notify_one();
        }
    }
}

} // namespace engine::cpu
