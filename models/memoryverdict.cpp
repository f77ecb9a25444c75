#include "memoryverdict.h"

#include <QCoreApplication>

namespace models {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("models::MemoryVerdict", text);
}

} // namespace

MemoryVerdict memoryVerdict(const enginehost::MemoryReport &r, enginehost::BackendChoice backend)
{
    using enginehost::formatMemory;
    const QString needs = formatMemory(r.totalBytes);
    const QString systemFree =
        r.systemFreeBytes ? formatMemory(r.systemFreeBytes) : tr("an unknown amount");
    switch (backend) {
    case enginehost::BackendChoice::Auto:
        break;
    case enginehost::BackendChoice::Cpu:
        return r.fitsSystem
                   ? MemoryVerdict{tr("fits in memory on the CPU: needs %1, %2 free")
                                       .arg(needs, systemFree),
                                   true}
                   : MemoryVerdict{tr("does not fit in memory: needs %1, %2 free; choose a "
                                      "shorter context")
                                       .arg(needs, systemFree),
                                   false};
    case enginehost::BackendChoice::Cuda:
        // With CUDA chosen on a machine without a usable GPU the estimate said "fits in memory
        // … (CPU: no CUDA device …)", and the load then failed.
        if (!r.gpuPresent)
            return {tr("the CUDA backend cannot be used here: %1; choose Auto or CPU")
                        .arg(r.gpuAbsentReason),
                    false};
        if (!r.fitsGpu)
            return {tr("does not fit on the GPU: needs %1, %2 has %3 free; choose a shorter "
                       "context, or Auto or CPU")
                        .arg(needs, r.gpuName, formatMemory(r.gpuFreeBytes)),
                    false};
        return {tr("fits on the GPU: needs %1, %2 has %3 free")
                    .arg(needs, r.gpuName, formatMemory(r.gpuFreeBytes)),
                true};
    }
    return {r.verdict, r.fitsGpu || r.fitsSystem};
}

} // namespace models
