#pragma once

// cudasim: runs the threads of one thread block on fibers. A fiber runs until it reaches a
// __syncthreads or a warp shuffle, then the next one runs; when every thread has stopped, the
// barrier or shuffle that all of its participants reached is released. Anything a device would
// hang on or leave undefined (a barrier not every live thread reaches, a shuffle whose mask
// names an exited or absent lane, lanes of one mask at different shuffles) fails the launch
// with a message naming the kernel, block and threads.

#include <engine/cuda/sim/device.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cudasim {

class BlockScheduler
{
public:
    BlockScheduler();
    ~BlockScheduler();
    BlockScheduler(const BlockScheduler &) = delete;
    BlockScheduler &operator=(const BlockScheduler &) = delete;

    //! The scheduler of the calling OS thread.
    static BlockScheduler &local();

    //! Runs every block of the grid in order. Returns an empty string, or what went wrong.
    std::string runGrid(const LaunchConfig &config, const std::function<void()> &body);

    // Called from device code through device.h.
    const ThreadContext &currentThread() const;
    void syncthreads();
    void warpExchange(unsigned mask, const void *value, void *result, std::size_t bytes,
                      int (*sourceLane)(int, int), int arg);
    void *dynamicShared();
    [[noreturn]] void failLaunch(const std::string &reason);

    struct Fiber;

private:
    enum class Progress { Released, Finished, Failed };
    std::string runBlock(const dim3 &block);
    Progress releaseWaiting(std::string &error);
    std::string describeThread(int index) const;
    void yield();
    [[noreturn]] static void fiberMain();

    std::vector<std::unique_ptr<Fiber>> m_fibers;
    std::vector<char> m_dynamicShared;
    std::vector<uint64_t> m_shuffleSlots; // [warp][parity][lane]
    const LaunchConfig *m_config = nullptr;
    const std::function<void()> *m_body = nullptr;
    struct Context;
    std::unique_ptr<Context> m_schedulerContext;
    Fiber *m_current = nullptr;
    std::string m_error; // set by device code that misuses a shuffle
    int m_threads = 0;
};

} // namespace cudasim
