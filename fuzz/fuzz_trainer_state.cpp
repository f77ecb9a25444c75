// libFuzzer target for models::parseTrainerState (a Hugging Face trainer_state.json read from
// a local run folder) and, on the same bytes, the run-file format guess.

#include <models/runfiles.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)models::guessRunFileFormat(QStringLiteral("run/unknown"), json.left(4096));
    auto run = models::parseTrainerState(json, QStringLiteral("fuzz"));
    (void)run;
    return 0;
}
