// cudasim: the runtime API (memory, streams, capture and graphs, events, errors) and the glue
// from device code to the block scheduler. See runtime.h.

#include "runtime.h"
#include "blockscheduler.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

struct CUstream_st
{
    bool capturing = false;
    bool captureInvalidated = false;
    std::vector<std::function<cudaError_t()>> captured;
};
struct CUgraph_st
{
    std::vector<std::function<cudaError_t()>> nodes;
};
struct CUgraphExec_st
{
    std::vector<std::function<cudaError_t()>> nodes;
};
struct CUevent_st
{
    std::chrono::steady_clock::time_point at{};
    bool recorded = false;
};

namespace {

struct Allocation
{
    std::size_t bytes;
    bool device;
};

struct Device
{
    std::mutex mutex;
    std::map<uintptr_t, Allocation> allocations;
    std::size_t used = 0;
    std::size_t total = 0;
    bool present = true;
    // A failed kernel leaves the context unusable on a device; here too, so that the failure
    // surfaces at the next synchronising call however the caller checks.
    cudaError_t sticky = cudaSuccess;

    Device()
    {
        const char *devices = std::getenv("FIREDECK_CUDASIM_DEVICES");
        present = !(devices && std::strcmp(devices, "0") == 0);
        const char *mib = std::getenv("FIREDECK_CUDASIM_MEMORY_MIB");
        total = std::size_t(mib ? std::strtoull(mib, nullptr, 10) : 8192) << 20;
    }
};

Device &device()
{
    static Device d;
    return d;
}

thread_local cudaError_t t_lastError = cudaSuccess;
thread_local CUstream_st *t_capturing = nullptr; // cudaStreamCaptureModeThreadLocal

cudaError_t fail(cudaError_t error)
{
    t_lastError = error;
    return error;
}

//! A synchronous call while this thread captures is illegal and invalidates the capture.
bool captureForbids()
{
    if (!t_capturing)
        return false;
    t_capturing->captureInvalidated = true;
    return true;
}

//! True when [p, p + bytes) lies inside one device allocation.
bool isDeviceRange(const void *p, std::size_t bytes)
{
    Device &d = device();
    std::lock_guard lock(d.mutex);
    const uintptr_t u = reinterpret_cast<uintptr_t>(p);
    auto it = d.allocations.upper_bound(u);
    if (it == d.allocations.begin())
        return false;
    --it;
    return it->second.device && u + bytes <= it->first + it->second.bytes;
}

cudaError_t checkCopy(void *dst, const void *src, std::size_t bytes, cudaMemcpyKind kind)
{
    const bool dstDevice = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
    const bool srcDevice = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
    if ((dstDevice && !isDeviceRange(dst, bytes)) || (srcDevice && !isDeviceRange(src, bytes))) {
        std::fprintf(stderr,
                     "cudasim: cudaMemcpy of %zu bytes (kind %d) outside a device allocation\n",
                     bytes, int(kind));
        return cudaErrorInvalidValue;
    }
    return cudaSuccess;
}

} // namespace

namespace cudasim {

cudaError_t submit(cudaStream_t stream, std::function<cudaError_t()> work)
{
    Device &d = device();
    if (d.sticky != cudaSuccess)
        return fail(d.sticky);
    if (stream && stream->capturing) {
        stream->captured.push_back(std::move(work));
        return cudaSuccess;
    }
    if (!stream && t_capturing) { // the legacy stream would join the capture implicitly
        t_capturing->captureInvalidated = true;
        return fail(cudaErrorStreamCaptureImplicit);
    }
    const cudaError_t e = work();
    if (e == cudaErrorLaunchFailure)
        d.sticky = e;
    return e == cudaSuccess ? e : fail(e);
}

void setLastError(cudaError_t error)
{
    t_lastError = error;
}

const ThreadContext &thread()
{
    return BlockScheduler::local().currentThread();
}

void syncthreads()
{
    BlockScheduler::local().syncthreads();
}

void warpExchange(unsigned mask, const void *value, void *result, std::size_t bytes,
                  int (*sourceLane)(int, int), int arg)
{
    BlockScheduler::local().warpExchange(mask, value, result, bytes, sourceLane, arg);
}

void *dynamicShared()
{
    return BlockScheduler::local().dynamicShared();
}

void failLaunch(const std::string &reason)
{
    BlockScheduler::local().failLaunch(reason);
}

void launch(const LaunchConfig &config, std::function<void()> threadBody)
{
    const dim3 &g = config.grid, &b = config.block;
    const uint64_t threads = uint64_t(b.x) * b.y * b.z;
    if (g.x == 0 || g.y == 0 || g.z == 0 || g.x > 0x7FFFFFFFu || g.y > 65535 || g.z > 65535 ||
        threads == 0 || threads > 1024 || b.x > 1024 || b.y > 1024 || b.z > 64) {
        std::fprintf(stderr, "cudasim: %s launched with grid (%u,%u,%u) block (%u,%u,%u)\n",
                     config.kernelName, g.x, g.y, g.z, b.x, b.y, b.z);
        setLastError(cudaErrorInvalidConfiguration);
        return;
    }
    // Above 48 KiB a kernel must opt in with cudaFuncSetAttribute, which the engine does not.
    if (config.sharedBytes > 48 * 1024) {
        std::fprintf(stderr,
                     "cudasim: %s asks for %zu bytes of dynamic shared memory (48 KiB max)\n",
                     config.kernelName, config.sharedBytes);
        setLastError(cudaErrorInvalidValue);
        return;
    }
    const cudaError_t e = submit(config.stream, [config, body = std::move(threadBody)]() {
        const std::string error = BlockScheduler::local().runGrid(config, body);
        if (error.empty())
            return cudaSuccess;
        std::fprintf(stderr, "cudasim: kernel failed: %s\n", error.c_str());
        return cudaErrorLaunchFailure;
    });
    if (e != cudaSuccess)
        setLastError(e);
}

} // namespace cudasim

const char *cudaGetErrorString(cudaError_t error)
{
    switch (error) {
    case cudaSuccess:
        return "no error";
    case cudaErrorInvalidValue:
        return "invalid argument";
    case cudaErrorMemoryAllocation:
        return "out of memory";
    case cudaErrorInvalidConfiguration:
        return "invalid configuration argument";
    case cudaErrorInvalidDevicePointer:
        return "invalid device pointer";
    case cudaErrorInsufficientDriver:
        return "CUDA driver version is insufficient for CUDA runtime version";
    case cudaErrorNoDevice:
        return "no CUDA-capable device is detected";
    case cudaErrorInvalidResourceHandle:
        return "invalid resource handle";
    case cudaErrorLaunchFailure:
        return "unspecified launch failure";
    case cudaErrorStreamCaptureUnsupported:
        return "operation not permitted when stream is capturing";
    case cudaErrorStreamCaptureInvalidated:
        return "operation failed due to a previous error during capture";
    case cudaErrorStreamCaptureImplicit:
        return "operation would make the legacy stream depend on a capturing blocking stream";
    }
    return "unknown error";
}

cudaError_t cudaGetLastError()
{
    const cudaError_t e = t_lastError;
    t_lastError = device().sticky;
    return e;
}

cudaError_t cudaGetDeviceCount(int *count)
{
    *count = device().present ? 1 : 0;
    return device().present ? cudaSuccess : fail(cudaErrorNoDevice);
}

cudaError_t cudaSetDevice(int index)
{
    return device().present && index == 0 ? cudaSuccess : fail(cudaErrorInvalidValue);
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp *prop, int index)
{
    if (!device().present || index != 0)
        return fail(cudaErrorInvalidValue);
    *prop = {};
    std::snprintf(prop->name, sizeof prop->name, "cudasim (CPU emulation, no GPU)");
    // Shaped like an H100 SXM so that launch heuristics (split counts per SM) take their
    // device paths.
    prop->totalGlobalMem = device().total;
    prop->sharedMemPerBlock = 48 * 1024;
    prop->warpSize = 32;
    prop->maxThreadsPerBlock = 1024;
    prop->major = 9;
    prop->minor = 0;
    prop->multiProcessorCount = 132;
    prop->memoryBusWidth = 5120;
    prop->memoryClockRate = 2619000;
    return cudaSuccess;
}

cudaError_t cudaMemGetInfo(size_t *freeBytes, size_t *totalBytes)
{
    Device &d = device();
    std::lock_guard lock(d.mutex);
    *freeBytes = d.total - d.used;
    *totalBytes = d.total;
    return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize()
{
    if (captureForbids())
        return fail(cudaErrorStreamCaptureUnsupported);
    return device().sticky == cudaSuccess ? cudaSuccess : fail(device().sticky);
}

static cudaError_t allocate(void **ptr, size_t bytes, bool onDevice)
{
    if (!ptr)
        return fail(cudaErrorInvalidValue);
    if (captureForbids())
        return fail(cudaErrorStreamCaptureUnsupported);
    Device &d = device();
    const size_t rounded = (std::max<size_t>(bytes, 1) + 255) & ~size_t(255);
    {
        std::lock_guard lock(d.mutex);
        if (onDevice && rounded > d.total - d.used)
            return fail(cudaErrorMemoryAllocation);
    }
    void *p = std::aligned_alloc(256, rounded);
    if (!p)
        return fail(cudaErrorMemoryAllocation);
    // Fresh device memory is garbage: all-ones bytes read as NaN in fp32 / bf16 / fp16, so a
    // kernel that reads what nobody wrote poisons its results. Huge buffers stay untouched.
    if (rounded <= (size_t(64) << 20))
        std::memset(p, 0xFF, rounded);
#if defined(__SANITIZE_ADDRESS__)
    // Under AddressSanitizer a kernel that reads or writes past the requested size is
    // reported at the faulting line, like compute-sanitizer's memcheck on a device.
    ASAN_POISON_MEMORY_REGION(static_cast<char *>(p) + bytes, rounded - bytes);
#endif
    std::lock_guard lock(d.mutex);
    d.allocations[reinterpret_cast<uintptr_t>(p)] = {bytes, onDevice};
    if (onDevice)
        d.used += rounded;
    *ptr = p;
    return cudaSuccess;
}

static cudaError_t release(void *ptr, bool onDevice)
{
    if (!ptr)
        return cudaSuccess;
    if (captureForbids())
        return fail(cudaErrorStreamCaptureUnsupported);
    Device &d = device();
    std::lock_guard lock(d.mutex);
    auto it = d.allocations.find(reinterpret_cast<uintptr_t>(ptr));
    if (it == d.allocations.end() || it->second.device != onDevice)
        return fail(onDevice ? cudaErrorInvalidDevicePointer : cudaErrorInvalidValue);
    if (onDevice)
        d.used -= (std::max<size_t>(it->second.bytes, 1) + 255) & ~size_t(255);
#if defined(__SANITIZE_ADDRESS__)
    ASAN_UNPOISON_MEMORY_REGION(ptr, (std::max<size_t>(it->second.bytes, 1) + 255) & ~size_t(255));
#endif
    d.allocations.erase(it);
    std::free(ptr);
    return cudaSuccess;
}

cudaError_t cudaMalloc(void **ptr, size_t bytes)
{
    return allocate(ptr, bytes, true);
}
cudaError_t cudaFree(void *ptr)
{
    return release(ptr, true);
}
cudaError_t cudaMallocHost(void **ptr, size_t bytes)
{
    return allocate(ptr, bytes, false);
}
cudaError_t cudaFreeHost(void *ptr)
{
    return release(ptr, false);
}

cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind)
{
    if (captureForbids())
        return fail(cudaErrorStreamCaptureUnsupported);
    if (device().sticky != cudaSuccess)
        return fail(device().sticky);
    if (const cudaError_t e = checkCopy(dst, src, bytes, kind); e != cudaSuccess)
        return fail(e);
    std::memmove(dst, src, bytes);
    return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t stream)
{
    if (const cudaError_t e = checkCopy(dst, src, bytes, kind); e != cudaSuccess)
        return fail(e);
    return cudasim::submit(stream, [=]() {
        std::memmove(dst, src, bytes);
        return cudaSuccess;
    });
}

cudaError_t cudaMemset(void *ptr, int value, size_t bytes)
{
    if (captureForbids())
        return fail(cudaErrorStreamCaptureUnsupported);
    if (!isDeviceRange(ptr, bytes))
        return fail(cudaErrorInvalidValue);
    std::memset(ptr, value, bytes);
    return cudaSuccess;
}

cudaError_t cudaMemsetAsync(void *ptr, int value, size_t bytes, cudaStream_t stream)
{
    if (!isDeviceRange(ptr, bytes))
        return fail(cudaErrorInvalidValue);
    return cudasim::submit(stream, [=]() {
        std::memset(ptr, value, bytes);
        return cudaSuccess;
    });
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t *stream, unsigned int)
{
    if (!device().present)
        return fail(cudaErrorNoDevice);
    *stream = new CUstream_st;
    return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t stream)
{
    if (t_capturing == stream)
        t_capturing = nullptr;
    delete stream;
    return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t)
{
    if (captureForbids())
        return fail(cudaErrorStreamCaptureUnsupported);
    return device().sticky == cudaSuccess ? cudaSuccess : fail(device().sticky);
}

cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode)
{
    if (!stream || stream->capturing || t_capturing)
        return fail(cudaErrorInvalidValue); // the legacy stream cannot be captured
    stream->capturing = true;
    stream->captureInvalidated = false;
    stream->captured.clear();
    t_capturing = stream;
    return cudaSuccess;
}

cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t *graph)
{
    if (!stream || !stream->capturing)
        return fail(cudaErrorInvalidValue);
    stream->capturing = false;
    t_capturing = nullptr;
    if (stream->captureInvalidated) {
        *graph = nullptr;
        stream->captured.clear();
        return fail(cudaErrorStreamCaptureInvalidated);
    }
    *graph = new CUgraph_st{std::move(stream->captured)};
    stream->captured.clear();
    return cudaSuccess;
}

cudaError_t cudaGraphInstantiate(cudaGraphExec_t *exec, cudaGraph_t graph, unsigned long long)
{
    if (!graph)
        return fail(cudaErrorInvalidValue);
    *exec = new CUgraphExec_st{graph->nodes};
    return cudaSuccess;
}

cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream)
{
    if (!exec)
        return fail(cudaErrorInvalidValue);
    return cudasim::submit(stream, [exec]() {
        for (const auto &node : exec->nodes)
            if (const cudaError_t e = node(); e != cudaSuccess)
                return e;
        return cudaSuccess;
    });
}

cudaError_t cudaGraphDestroy(cudaGraph_t graph)
{
    delete graph;
    return cudaSuccess;
}

cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec)
{
    delete exec;
    return cudaSuccess;
}

cudaError_t cudaEventCreate(cudaEvent_t *event)
{
    *event = new CUevent_st;
    return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event)
{
    delete event;
    return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream)
{
    return cudasim::submit(stream, [event]() {
        event->at = std::chrono::steady_clock::now();
        event->recorded = true;
        return cudaSuccess;
    });
}

cudaError_t cudaEventSynchronize(cudaEvent_t)
{
    return device().sticky == cudaSuccess ? cudaSuccess : fail(device().sticky);
}

cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end)
{
    if (!start->recorded || !end->recorded)
        return fail(cudaErrorInvalidResourceHandle);
    *ms = std::chrono::duration<float, std::milli>(end->at - start->at).count();
    return cudaSuccess;
}
