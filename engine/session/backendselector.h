#pragma once

// Picks the backend a session runs on: CUDA when the engine was built with it, a device is
// present and the model fits in its free memory; otherwise the CPU, with a sentence saying why
// (shown by the Playground and printed by firedeck-engine).

#include <engine/session/backend.h>

#include <memory>
#include <string>
#include <string_view>

namespace engine {

enum class BackendKind { Auto, Cpu, Cuda };

//! "auto", "cpu" or "cuda".
Result<BackendKind> parseBackendKind(std::string_view text);

//! What to create. FIREDECK_ENGINE_BACKEND=cpu|cuda|auto in the environment overrides Auto
//! (the GPU machine's test run pins the CPU-exact tests to the CPU that way).
struct BackendRequest
{
    BackendKind kind = BackendKind::Auto;
    int64_t contextLength = 0; //!< 0 = min(max_position_embeddings, 4096)
    int threads = 0;           //!< CPU threads (0 = all)
};

struct BackendSelection
{
    std::unique_ptr<Backend> backend;
    //! Why this backend: "CUDA on NVIDIA H200 (sm_90), 16.2 GiB of 139.7 GiB free", or the
    //! fallback reason ("no CUDA device: no NVIDIA driver found, or ...", "the model
    //! needs 16.2 GiB, the GPU has 7.9 GiB free", "built without CUDA").
    std::string reason;
};

//! Whether this build contains the CUDA backend.
bool builtWithCuda();

//! Creates the backend. Auto never fails for want of a GPU (it falls back); an explicit Cuda
//! request that cannot be met is an error carrying the reason.
Result<BackendSelection> selectBackend(std::shared_ptr<const Model> model,
                                       const BackendRequest &request);

} // namespace engine
