#include "backendselector.h"

#include <engine/cpu/cpubackend.h>

#if ENGINE_HAVE_CUDA
#include <engine/cuda/cudabackend.h>
#include <engine/cuda/cudadevice.h>
#endif

#include <cstdio>
#include <cstdlib>

namespace engine {

namespace {

Result<BackendSelection> cpuBackend(std::shared_ptr<const Model> model, const BackendRequest &r,
                                    std::string reason)
{
    cpu::CpuBackendOptions o;
    o.contextLength = r.contextLength;
    o.threads = r.threads;
    auto backend = cpu::CpuBackend::create(std::move(model), o);
    if (!backend)
        return backend.error();
    return BackendSelection{std::move(backend).value(), std::move(reason)};
}

#if ENGINE_HAVE_CUDA
std::string gib(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", double(bytes) / double(1ull << 30));
    return text;
}

// Headroom above the backend's own estimate for the CUDA context, cuBLAS kernels and the
// allocator's rounding.
constexpr uint64_t kDeviceHeadroomBytes = uint64_t(512) << 20;

// The CUDA backend, or an error whose message is the reason it cannot be used.
Result<BackendSelection> cudaBackend(std::shared_ptr<const Model> model, const BackendRequest &r)
{
    auto device = cuda::probeCudaDevice();
    if (!device)
        return device.error();
    cuda::CudaBackendOptions o;
    o.contextLength = r.contextLength;
    const uint64_t needed = cuda::estimateDeviceBytes(*model, o) + kDeviceHeadroomBytes;
    if (needed > device->freeBytes)
        return makeError(Error::Code::OutOfMemory,
                         "the model needs " + gib(needed) + " GiB on the GPU, " + device->name +
                             " has " + gib(device->freeBytes) + " GiB free");
    auto backend = cuda::CudaBackend::create(std::move(model), o);
    if (!backend)
        return makeError(backend.error().code,
                         "CUDA backend unavailable: " + backend.error().message);
    const std::string name = backend.value()->deviceName();
    const uint64_t used = backend.value()->deviceBytes();
    return BackendSelection{std::move(backend).value(), "CUDA on " + name + ", " + gib(used) +
                                                            " GiB used of " +
                                                            gib(device->freeBytes) + " GiB free"};
}
#endif

} // namespace

Result<BackendKind> parseBackendKind(std::string_view text)
{
    if (text == "auto")
        return BackendKind::Auto;
    if (text == "cpu")
        return BackendKind::Cpu;
    if (text == "cuda")
        return BackendKind::Cuda;
    return makeError(Error::Code::InvalidArgument,
                     "backend must be auto, cpu or cuda, got '" + std::string(text) + "'");
}

bool builtWithCuda()
{
#if ENGINE_HAVE_CUDA
    return true;
#else
    return false;
#endif
}

Result<BackendSelection> selectBackend(std::shared_ptr<const Model> model,
                                       const BackendRequest &request)
{
    if (!model)
        return makeError(Error::Code::InvalidArgument, "selectBackend: no model");
    BackendKind kind = request.kind;
    if (kind == BackendKind::Auto)
        if (const char *env = std::getenv("FIREDECK_ENGINE_BACKEND")) {
            auto parsed = parseBackendKind(env);
            if (!parsed)
                return makeError(Error::Code::InvalidArgument,
                                 "FIREDECK_ENGINE_BACKEND: " + parsed.error().message);
            kind = *parsed;
        }
    if (kind == BackendKind::Cpu)
        return cpuBackend(std::move(model), request, "CPU backend requested");
#if ENGINE_HAVE_CUDA
    auto cuda = cudaBackend(model, request);
    if (cuda)
        return std::move(cuda).value();
    if (kind == BackendKind::Cuda)
        return cuda.error();
    return cpuBackend(std::move(model), request, cuda.error().message);
#else
    if (kind == BackendKind::Cuda)
        return makeError(Error::Code::Unsupported,
                         "the CUDA backend was requested but this engine was built without CUDA");
    return cpuBackend(std::move(model), request, "built without CUDA");
#endif
}

} // namespace engine
