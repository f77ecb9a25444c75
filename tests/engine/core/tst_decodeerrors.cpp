// A backend error in the middle of a generation (after the prefill, while decoding) ends the
// choice with FinishReason::Error and keeps the error's code, not only its words: the engine
// host turns the code into whether asking again may help (out of memory, a device error) or
// not. A CPU backend whose forward() fails from a chosen call on stands in for a GPU that runs
// out of memory or faults mid-reply.

#include <engine/cpu/cpubackend.h>
#include <engine/model/randommodel.h>
#include <engine/session/session.h>

#include "testutil.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <unistd.h>

using namespace engine;

namespace {

//! The CPU backend, failing with `code` from its `failAt`-th forward() on (1 = the prefill).
class FailingBackend final : public Backend
{
public:
    FailingBackend(std::unique_ptr<Backend> inner, int failAt, Error::Code code)
        : m_inner(std::move(inner)), m_failAt(failAt), m_code(code)
    {}
    const char *name() const override { return "failing"; }
    const Model &model() const override { return m_inner->model(); }
    int64_t contextLength() const override { return m_inner->contextLength(); }
    Result<void> forward(std::span<const int32_t> tokens, int64_t startPos, float *logits,
                         bool allLogits) override
    {
        if (++m_calls >= m_failAt)
            return makeError(m_code, "forward " + std::to_string(m_calls) + " failed");
        return m_inner->forward(tokens, startPos, logits, allLogits);
    }
    Result<void> setAdapter(std::shared_ptr<const LoraAdapter> adapter) override
    {
        return m_inner->setAdapter(std::move(adapter));
    }
    const LoraAdapter *adapter() const override { return m_inner->adapter(); }

private:
    std::unique_ptr<Backend> m_inner;
    int m_failAt;
    Error::Code m_code;
    int m_calls = 0;
};

class DecodeErrors : public ::testing::TestWithParam<Error::Code>
{
protected:
    static void SetUpTestSuite()
    {
        dir = (std::filesystem::temp_directory_path() /
               ("fd-decodeerr-" + std::to_string(::getpid())))
                  .string();
        std::string error;
        model = enginetest::writeTinyLlama(dir, 1, &error);
        ASSERT_TRUE(model) << error;
    }
    static void TearDownTestSuite() { std::filesystem::remove_all(dir); }
    static std::unique_ptr<Session> session(int failAt, Error::Code code)
    {
        cpu::CpuBackendOptions o;
        o.threads = 1;
        auto cpu = cpu::CpuBackend::create(model, o);
        EXPECT_TRUE(cpu) << cpu.error().message;
        return std::make_unique<Session>(
            std::make_unique<FailingBackend>(std::move(cpu).value(), failAt, code));
    }
    static inline std::string dir;
    static inline std::shared_ptr<const Model> model;
};

TEST_P(DecodeErrors, aDecodeStepFailure_endsTheChoiceWithItsCode)
{
    // The prefill and one decode step work, the next one fails.
    const std::unique_ptr<Session> s = session(3, GetParam());
    GenerationRequest req;
    req.maxTokens = 10;
    req.stopAtEos = false;
    req.sampling.temperature = 0;
    const std::vector<int32_t> prompt{1, 5, 9};
    auto r = s->generate(prompt, req);
    ASSERT_TRUE(r) << r.error().message;
    const Choice &c = r->choices.front();
    EXPECT_EQ(c.finishReason, FinishReason::Error);
    EXPECT_EQ(c.errorCode, GetParam());
    EXPECT_EQ(c.error, "forward 3 failed");
    EXPECT_EQ(c.tokens.size(), 2u); // sampled from the prefill and from the working step
}

TEST_P(DecodeErrors, aPrefillFailure_isTheGenerationsError)
{
    const std::unique_ptr<Session> s = session(1, GetParam());
    GenerationRequest req;
    req.maxTokens = 4;
    auto r = s->generate(std::vector<int32_t>{1, 5, 9}, req);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Codes, DecodeErrors,
                         ::testing::Values(Error::Code::OutOfMemory, Error::Code::Device,
                                           Error::Code::Internal),
                         [](const ::testing::TestParamInfo<Error::Code> &info) {
                             std::string name = errorCodeName(info.param);
                             for (char &ch : name)
                                 if (!std::isalnum(static_cast<unsigned char>(ch)))
                                     ch = '_';
                             return name;
                         });

} // namespace
