#pragma once

// Why a generation failed, as the engine host reports it (QtCore level: the engine's
// engine::Error::Code without the engine's headers), and the one rule that says what may make
// the same request pass: the playground's Retry advice and the local server's HTTP status both
// come from remedyFor().

#include <QMetaType>

namespace enginehost {

//! The engine's error codes (engine/common/result.h), one for one, plus None.
enum class ErrorKind {
    None,            //!< no failure
    InvalidArgument, //!< the request: a parameter out of range, a template that refuses it
    NotFound,        //!< a file or tensor that should exist does not (or the model is gone)
    Unsupported,     //!< the model cannot do this (no usable chat template, a dtype, ...)
    Corrupt,         //!< a file of the model is malformed or inconsistent
    OutOfMemory,     //!< host or device memory could not be allocated
    ContextLength,   //!< the prompt does not fit the context the model was loaded with
    Cancelled,       //!< stopped before it ended
    Io,              //!< an operating-system I/O error
    Device,          //!< a CUDA or other device error
    Internal,        //!< a bug in the engine: a check that should never fail did
};

//! What may make a failed request pass.
enum class Remedy {
    RetryLater,    //!< the same request may pass when sent again: the machine's state failed it
    ChangeRequest, //!< it fails the same way until the request changes
    ChangeModel,   //!< it fails the same way with this model, whatever the request
};

//! The rule, for every kind (None, no failure, answers ChangeModel: nothing to send again).
Remedy remedyFor(ErrorKind kind);

//! Whether sending the same request again may succeed (remedyFor() is RetryLater).
inline bool mayPassOnRetry(ErrorKind kind)
{
    return remedyFor(kind) == Remedy::RetryLater;
}

} // namespace enginehost

Q_DECLARE_METATYPE(enginehost::ErrorKind)
