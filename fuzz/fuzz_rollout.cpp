// libFuzzer target for client::RolloutRecord::fromJson (one rollout record of an RFT job).

#include <client/rollouts.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    auto r = client::RolloutRecord::fromJson(
        QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    (void)r;
    return 0;
}
