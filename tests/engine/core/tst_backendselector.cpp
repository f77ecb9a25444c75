// Backend selection: on a machine without a usable CUDA device (or a build without CUDA) the
// automatic choice is the CPU, with a reason a person can read; with a device that has room it
// is CUDA. The cudasim build runs this file three times (engine.backendselector_sim*): with a
// device, with no device and with a device too small for the model.

#include "testutil.h"

#include <engine/session/backendselector.h>
#include <engine/session/session.h>

#if ENGINE_HAVE_CUDA
#include <engine/cuda/cudabackend.h>
#include <engine/cuda/cudadevice.h>
#endif

#include <gtest/gtest.h>

#include <cstdlib>

using namespace engine;

namespace {

bool deviceAvailable()
{
#if ENGINE_HAVE_CUDA
    return bool(cuda::probeCudaDevice());
#else
    return false;
#endif
}

std::shared_ptr<const Model> tinyModel()
{
    auto model = Model::load(enginetest::goldenDir("tiny-llama3-bf16"));
    EXPECT_TRUE(model) << model.error().message;
    return model ? model.value() : nullptr;
}

TEST(BackendSelector, auto_fallsBackToCpuWithReason_withoutDevice)
{
    if (deviceAvailable())
        GTEST_SKIP() << "a CUDA device is present";
    unsetenv("FIREDECK_ENGINE_BACKEND");
    auto selection = selectBackend(tinyModel(), BackendRequest{BackendKind::Auto, 32, 1});
    ASSERT_TRUE(selection) << selection.error().message;
    EXPECT_STREQ(selection->backend->name(), "cpu");
    if (builtWithCuda()) { // "no CUDA device: no NVIDIA driver found, or it is older ..."
        EXPECT_EQ(selection->reason.rfind("no CUDA device: ", 0), 0u) << selection->reason;
        // Without a driver or without a GPU the reason says so in words, not only cudart's
        // "CUDA driver version is insufficient for CUDA runtime version".
        EXPECT_NE(selection->reason.find("NVIDIA"), std::string::npos) << selection->reason;
    } else
        EXPECT_EQ(selection->reason, "built without CUDA");
    EXPECT_GT(selection->reason.size(), std::string("no CUDA device: ").size());
}

TEST(BackendSelector, cudaRequest_withoutDevice_isAnErrorWithTheReason)
{
    if (deviceAvailable())
        GTEST_SKIP() << "a CUDA device is present";
    auto selection = selectBackend(tinyModel(), BackendRequest{BackendKind::Cuda, 32, 1});
    ASSERT_FALSE(selection);
    EXPECT_FALSE(selection.error().message.empty());
}

#if ENGINE_HAVE_CUDA
// What selectBackend compares with the device's free memory (its 512 MiB headroom included).
uint64_t deviceBytesNeeded(const Model &model)
{
    cuda::CudaBackendOptions options;
    options.contextLength = 32;
    return cuda::estimateDeviceBytes(model, options) + (uint64_t(512) << 20);
}
#endif

TEST(BackendSelector, auto_picksCuda_whenTheDeviceHasRoom)
{
#if ENGINE_HAVE_CUDA
    auto device = cuda::probeCudaDevice();
    if (!device)
        GTEST_SKIP() << device.error().message;
    auto model = tinyModel();
    if (deviceBytesNeeded(*model) > device->freeBytes)
        GTEST_SKIP() << "the device has too little free memory for this test";
    unsetenv("FIREDECK_ENGINE_BACKEND");
    auto selection = selectBackend(model, BackendRequest{BackendKind::Auto, 32, 1});
    ASSERT_TRUE(selection) << selection.error().message;
    EXPECT_STREQ(selection->backend->name(), "cuda");
    EXPECT_EQ(selection->reason.rfind("CUDA on " + device->name, 0), 0u) << selection->reason;
#else
    GTEST_SKIP() << "built without CUDA";
#endif
}

TEST(BackendSelector, auto_fallsBackToCpu_whenTheModelDoesNotFit)
{
#if ENGINE_HAVE_CUDA
    auto device = cuda::probeCudaDevice();
    if (!device)
        GTEST_SKIP() << device.error().message;
    auto model = tinyModel();
    const uint64_t needed = deviceBytesNeeded(*model);
    if (needed <= device->freeBytes)
        GTEST_SKIP() << "the device has room for the model";
    unsetenv("FIREDECK_ENGINE_BACKEND");
    auto selection = selectBackend(model, BackendRequest{BackendKind::Auto, 32, 1});
    ASSERT_TRUE(selection) << selection.error().message;
    EXPECT_STREQ(selection->backend->name(), "cpu");
    EXPECT_NE(selection->reason.find("GiB on the GPU, " + device->name + " has "),
              std::string::npos)
        << selection->reason;
    // Asking for CUDA explicitly is an error with the same reason, not a silent CPU run.
    auto forced = selectBackend(model, BackendRequest{BackendKind::Cuda, 32, 1});
    ASSERT_FALSE(forced);
    EXPECT_EQ(forced.error().code, Error::Code::OutOfMemory);
#else
    GTEST_SKIP() << "built without CUDA";
#endif
}

TEST(BackendSelector, cpuRequest_usesCpu)
{
    auto selection = selectBackend(tinyModel(), BackendRequest{BackendKind::Cpu, 32, 1});
    ASSERT_TRUE(selection);
    EXPECT_STREQ(selection->backend->name(), "cpu");
    EXPECT_EQ(selection->reason, "CPU backend requested");
}

TEST(BackendSelector, environment_overridesAuto)
{
    setenv("FIREDECK_ENGINE_BACKEND", "cpu", 1);
    auto session = Session::create(tinyModel(), SessionOptions{32, 1});
    unsetenv("FIREDECK_ENGINE_BACKEND");
    ASSERT_TRUE(session);
    EXPECT_STREQ(session.value()->backend().name(), "cpu");
    EXPECT_EQ(session.value()->backendReason(), "CPU backend requested");
    setenv("FIREDECK_ENGINE_BACKEND", "tpu", 1);
    auto bad = Session::create(tinyModel(), SessionOptions{32, 1});
    unsetenv("FIREDECK_ENGINE_BACKEND");
    EXPECT_FALSE(bad);
}

TEST(BackendSelector, parseBackendKind_acceptsTheThreeNames)
{
    EXPECT_EQ(parseBackendKind("auto").value(), BackendKind::Auto);
    EXPECT_EQ(parseBackendKind("cpu").value(), BackendKind::Cpu);
    EXPECT_EQ(parseBackendKind("cuda").value(), BackendKind::Cuda);
    EXPECT_FALSE(parseBackendKind("gpu"));
}

} // namespace
