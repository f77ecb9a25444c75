#pragma once

// The memory verdict for the backend the user chose on the Local models page: the engine's own
// verdict (MemoryReport::verdict) is the backend selector's, right for Auto; CPU or CUDA chosen
// by hand is judged against that backend's memory alone.

#include <engine/host/hosttypes.h>

#include <QString>

namespace models {

struct MemoryVerdict
{
    QString text;      //!< "fits on the GPU: needs 1.2 GiB, …", in the engine's manner
    bool loads = true; //!< false: a load on that backend fails for want of memory or a device
};

MemoryVerdict memoryVerdict(const enginehost::MemoryReport &report,
                            enginehost::BackendChoice backend);

} // namespace models
