// Backend selection: on a machine without a usable CUDA device (or a build without CUDA) the
// automatic choice is the CPU, with a reason a person can read.

#include "testutil.h"

#include <engine/session/backendselector.h>
#include <engine/session/session.h>

#if ENGINE_HAVE_CUDA
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
    if (builtWithCuda()) // e.g. "no CUDA device: CUDA driver version is insufficient ..."
        EXPECT_EQ(selection->reason.rfind("no CUDA device: ", 0), 0u) << selection->reason;
    else
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
