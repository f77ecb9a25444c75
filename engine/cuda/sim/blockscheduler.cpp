#include "blockscheduler.h"

#include <sys/mman.h>

#include <cstring>
#include <stdexcept>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace cudasim {

namespace {
// Per CUDA thread; kernels keep a few hundred bytes of locals. A guard page below each stack
// turns an overflow into a crash at the faulting line instead of silent corruption.
constexpr std::size_t kStackBytes = 64 * 1024;
constexpr std::size_t kGuardBytes = 4096;
} // namespace

#if defined(__x86_64__)
// Saves the callee-saved registers on the current stack, stores its pointer in *save, switches
// to the stack `load` and restores that one's registers: a cooperative switch with no system
// call (ucontext's swapcontext makes two, one per signal-mask save and restore).
extern "C" void cudasim_switch_context(void **save, void *load);
asm(R"(
    .text
    .globl cudasim_switch_context
    .type cudasim_switch_context, @function
cudasim_switch_context:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size cudasim_switch_context, .-cudasim_switch_context
)");

struct BlockScheduler::Context
{
    void *sp = nullptr;

    void prepare(char *stackTop, void (*entry)())
    {
        auto **sp16 =
            reinterpret_cast<void **>(reinterpret_cast<uintptr_t>(stackTop) & ~uintptr_t(15));
        *--sp16 = nullptr;                         // entry's return address: it never returns
        *--sp16 = reinterpret_cast<void *>(entry); // popped by the switch's ret
        for (int i = 0; i < 6; ++i)
            *--sp16 = nullptr; // rbp rbx r12..r15
        sp = sp16;
    }
    void switchTo(Context &to) { cudasim_switch_context(&sp, to.sp); }
};
#else
struct BlockScheduler::Context
{
    ucontext_t uc;

    void prepare(char *stackTop, void (*entry)())
    {
        getcontext(&uc);
        uc.uc_stack.ss_sp = stackTop - kStackBytes;
        uc.uc_stack.ss_size = kStackBytes;
        uc.uc_link = nullptr;
        makecontext(&uc, entry, 0);
    }
    void switchTo(Context &to) { swapcontext(&uc, &to.uc); }
};
#endif

enum class FiberState { Runnable, AtBarrier, AtShuffle, Failed, Done };

struct BlockScheduler::Fiber
{
    Context context;
    char *mapping = nullptr; // guard page + stack
    ThreadContext thread;
    FiberState state = FiberState::Runnable;
    int warp = 0, lane = 0;
    unsigned mask = 0;
    int shuffles = 0;

    Fiber()
    {
        void *m = mmap(nullptr, kGuardBytes + kStackBytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED)
            throw std::runtime_error("cudasim: cannot map a fiber stack");
        mapping = static_cast<char *>(m);
        mprotect(mapping, kGuardBytes, PROT_NONE);
    }
    ~Fiber() { munmap(mapping, kGuardBytes + kStackBytes); }
    char *stackTop() const { return mapping + kGuardBytes + kStackBytes; }
    // A finished fiber never unwinds its first frame, so AddressSanitizer would still see that
    // frame's red zones when the stack is reused for the next block.
    void forgetStack()
    {
#if defined(__SANITIZE_ADDRESS__)
        ASAN_UNPOISON_MEMORY_REGION(mapping + kGuardBytes, kStackBytes);
#endif
    }
};

BlockScheduler::BlockScheduler() : m_schedulerContext(std::make_unique<Context>()) {}
BlockScheduler::~BlockScheduler() = default;

BlockScheduler &BlockScheduler::local()
{
    static thread_local BlockScheduler scheduler;
    return scheduler;
}

const ThreadContext &BlockScheduler::currentThread() const
{
    return m_current->thread;
}

void BlockScheduler::yield()
{
    m_current->context.switchTo(*m_schedulerContext);
}

void BlockScheduler::fiberMain()
{
    BlockScheduler &s = local();
    (*s.m_body)();
    s.m_current->state = FiberState::Done;
    s.m_current->context.switchTo(*s.m_schedulerContext);
    __builtin_unreachable();
}

void BlockScheduler::syncthreads()
{
    m_current->state = FiberState::AtBarrier;
    yield();
}

void BlockScheduler::warpExchange(unsigned mask, const void *value, void *result, std::size_t bytes,
                                  int (*sourceLane)(int, int), int arg)
{
    Fiber &f = *m_current;
    if (!((mask >> f.lane) & 1u))
        failLaunch("calls a warp shuffle whose mask does not name its own lane");
    uint64_t *slots = &m_shuffleSlots[std::size_t(f.warp * 2 + (f.shuffles & 1)) * 32];
    std::memcpy(&slots[f.lane], value, bytes);
    f.mask = mask;
    f.state = FiberState::AtShuffle;
    yield();
    const int src = sourceLane(f.lane, arg);
    if (src >= 0 && src < 32 && ((mask >> src) & 1u))
        std::memcpy(result, &slots[src], bytes);
    else
        std::memcpy(result, value, bytes); // out of range (shfl_up/down): own value
    ++f.shuffles;
}

void BlockScheduler::failLaunch(const std::string &reason)
{
    Fiber &f = *m_current;
    m_error = describeThread(int(f.warp * 32 + f.lane)) + " " + reason;
    f.state = FiberState::Failed;
    yield(); // never resumed: the launch stops here
    __builtin_unreachable();
}

void *BlockScheduler::dynamicShared()
{
    return m_dynamicShared.empty() ? nullptr : m_dynamicShared.data();
}

std::string BlockScheduler::describeThread(int index) const
{
    const dim3 &t = m_fibers[std::size_t(index)]->thread.threadIndex;
    return "thread (" + std::to_string(t.x) + "," + std::to_string(t.y) + "," +
           std::to_string(t.z) + ")";
}

std::string BlockScheduler::runGrid(const LaunchConfig &config, const std::function<void()> &body)
{
    m_config = &config;
    m_body = &body;
    m_threads = int(config.block.x * config.block.y * config.block.z);
    while (int(m_fibers.size()) < m_threads)
        m_fibers.push_back(std::make_unique<Fiber>());
    // Shared memory starts as garbage on a device; all-ones bytes are NaN in fp32 and bf16,
    // so a kernel that reads before it writes shows it.
    m_dynamicShared.assign(config.sharedBytes, char(0xFF));
    m_shuffleSlots.assign(std::size_t((m_threads + 31) / 32) * 64, 0);
    std::string error;
    for (unsigned z = 0; z < config.grid.z && error.empty(); ++z)
        for (unsigned y = 0; y < config.grid.y && error.empty(); ++y)
            for (unsigned x = 0; x < config.grid.x && error.empty(); ++x) {
                error = runBlock(dim3(x, y, z));
                if (!error.empty())
                    error = std::string(config.kernelName) + ", block (" + std::to_string(x) + "," +
                            std::to_string(y) + "," + std::to_string(z) + "): " + error;
            }
    m_current = nullptr;
    return error;
}

std::string BlockScheduler::runBlock(const dim3 &block)
{
    const LaunchConfig &c = *m_config;
    for (int t = 0; t < m_threads; ++t) {
        Fiber &f = *m_fibers[std::size_t(t)];
        const unsigned tx = unsigned(t) % c.block.x, ty = (unsigned(t) / c.block.x) % c.block.y,
                       tz = unsigned(t) / (c.block.x * c.block.y);
        f.thread = {dim3(tx, ty, tz), block, c.block, c.grid};
        f.state = FiberState::Runnable;
        f.warp = t / 32;
        f.lane = t % 32;
        f.mask = 0;
        f.shuffles = 0;
        f.forgetStack();
        f.context.prepare(f.stackTop(), &BlockScheduler::fiberMain);
    }
    m_error.clear();
    for (;;) {
        for (int t = 0; t < m_threads; ++t) {
            Fiber &f = *m_fibers[std::size_t(t)];
            if (f.state != FiberState::Runnable)
                continue;
            m_current = &f;
            m_schedulerContext->switchTo(f.context);
            if (!m_error.empty())
                return m_error;
        }
        std::string error;
        switch (releaseWaiting(error)) {
        case Progress::Released:
            break;
        case Progress::Finished:
            return {};
        case Progress::Failed:
            return error;
        }
    }
}

BlockScheduler::Progress BlockScheduler::releaseWaiting(std::string &error)
{
    bool released = false;
    for (int base = 0; base < m_threads; base += 32) {
        const int lanes = std::min(32, m_threads - base);
        for (int l = 0; l < lanes; ++l) {
            Fiber &f = *m_fibers[std::size_t(base + l)];
            if (f.state != FiberState::AtShuffle)
                continue;
            const unsigned mask = f.mask;
            for (int b = 0; b < 32; ++b) {
                if (!((mask >> b) & 1u))
                    continue;
                if (b >= lanes) {
                    error = describeThread(base + l) + " shuffles with a mask naming lane " +
                            std::to_string(b) + ", but its warp has only " + std::to_string(lanes) +
                            " threads";
                    return Progress::Failed;
                }
                const Fiber &g = *m_fibers[std::size_t(base + b)];
                const char *problem = g.state == FiberState::Done        ? "has exited"
                                      : g.state == FiberState::AtBarrier ? "waits at __syncthreads"
                                      : g.mask != mask ? "is at a shuffle with another mask"
                                      : g.shuffles != f.shuffles ? "is at a different shuffle"
                                                                 : nullptr;
                if (problem) {
                    error = describeThread(base + l) + " waits at a warp shuffle, but lane " +
                            std::to_string(b) + " of its mask " + problem;
                    return Progress::Failed;
                }
            }
            for (int b = 0; b < 32; ++b)
                if ((mask >> b) & 1u)
                    m_fibers[std::size_t(base + b)]->state = FiberState::Runnable;
            released = true;
        }
    }
    if (released)
        return Progress::Released;
    int live = 0, atBarrier = 0;
    for (int t = 0; t < m_threads; ++t) {
        const FiberState s = m_fibers[std::size_t(t)]->state;
        live += s != FiberState::Done;
        atBarrier += s == FiberState::AtBarrier;
    }
    if (live == 0)
        return Progress::Finished;
    // Threads that have exited count as arrived, as on sm_70 and later.
    if (atBarrier == live) {
        for (int t = 0; t < m_threads; ++t)
            if (m_fibers[std::size_t(t)]->state == FiberState::AtBarrier)
                m_fibers[std::size_t(t)]->state = FiberState::Runnable;
        return Progress::Released;
    }
    error =
        "internal: " + std::to_string(live - atBarrier) + " threads blocked outside any barrier";
    return Progress::Failed;
}

} // namespace cudasim
