#include "errorkind.h"

namespace enginehost {

Remedy remedyFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::OutOfMemory:
        // Memory is shared with other processes and other loaded models (and, on the GPU, with
        // every program that draws): once one of them frees some, the same request fits. The
        // user can also make room (unload a model, close a program) and press Retry.
        return Remedy::RetryLater;
    case ErrorKind::Io:
        // Reads of the mapped weights and writes of scratch files fail for reasons outside the
        // request (a full or busy disk, a network file system that went away for a moment).
        return Remedy::RetryLater;
    case ErrorKind::Device:
        // A CUDA device that is busy, in use by another process or reset by the driver. (A
        // fault that poisons the CUDA context keeps failing until the model is reloaded; the
        // engine does not tell the two apart, and Retry costs the user one click.)
        return Remedy::RetryLater;
    case ErrorKind::Cancelled:
        // Stopped by the user or by an unload, not refused: sent again, nothing stands in its way.
        return Remedy::RetryLater;
    case ErrorKind::InvalidArgument:
    case ErrorKind::ContextLength:
        // The request itself: its parameters, messages the chat template refuses, a prompt
        // longer than the context. The same request fails the same way.
        return Remedy::ChangeRequest;
    case ErrorKind::NotFound:
    case ErrorKind::Unsupported:
    case ErrorKind::Corrupt:
        // The model's files or what the engine can do with them: every request to it fails.
        return Remedy::ChangeModel;
    case ErrorKind::Internal:
        // A check inside the engine that should never fail did. The engine is deterministic for
        // the same request and model, so the same path fails again: another model or another
        // request may avoid it, asking again will not.
        return Remedy::ChangeModel;
    case ErrorKind::None:
        break;
    }
    return Remedy::ChangeModel;
}

} // namespace enginehost
