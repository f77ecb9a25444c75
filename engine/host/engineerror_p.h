#pragma once

// The engine's error codes as the host reports them. Used by the host's sources (and its
// tests) only: the host's public headers never include the engine's.

#include <engine/common/result.h>
#include <engine/host/errorkind.h>

namespace enginehost::detail {

//! One for one; a new engine code fails the build here (-Wswitch) until it has a kind.
inline ErrorKind errorKind(engine::Error::Code code)
{
    using C = engine::Error::Code;
    switch (code) {
    case C::InvalidArgument:
        return ErrorKind::InvalidArgument;
    case C::NotFound:
        return ErrorKind::NotFound;
    case C::Unsupported:
        return ErrorKind::Unsupported;
    case C::Corrupt:
        return ErrorKind::Corrupt;
    case C::OutOfMemory:
        return ErrorKind::OutOfMemory;
    case C::ContextLength:
        return ErrorKind::ContextLength;
    case C::Cancelled:
        return ErrorKind::Cancelled;
    case C::Io:
        return ErrorKind::Io;
    case C::Device:
        return ErrorKind::Device;
    case C::Internal:
        return ErrorKind::Internal;
    }
    return ErrorKind::Internal; // a value outside the enum: a bug
}

} // namespace enginehost::detail
