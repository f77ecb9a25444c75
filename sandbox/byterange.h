#pragma once

// HTTP byte ranges (RFC 9110 §14) on signed-URL downloads, as cloud storage serves them: a
// client tailing a growing metrics file or log asks for `Range: bytes=<offset>-`.

#include <sandbox/apirequest.h>

namespace sandbox {

//! One `Range` header resolved against a body of `size` bytes.
struct ByteRange
{
    enum class Kind {
        Whole,        //!< no usable Range header (absent, malformed, several ranges): 200
        Partial,      //!< 206 of bytes [first, last]
        Unsatisfiable //!< 416: the range starts at or past the end
    };
    Kind kind = Kind::Whole;
    qint64 first = 0;
    qint64 last = -1; //!< inclusive
};

//! Resolves `bytes=N-M`, `bytes=N-` and `bytes=-K`. Several ranges are answered whole, as
//! the RFC allows (a server may ignore Range).
ByteRange resolveByteRange(const QByteArray &header, qint64 size);

//! Turns a whole-body 200 answer to a GET into what the request's Range asks for: 206 with
//! Content-Range and the slice, 416 with `Content-Range: bytes */size`, or the answer as it
//! was. Every answer says `Accept-Ranges: bytes`.
void applyByteRange(const ApiRequest &request, ApiResponse &response);

} // namespace sandbox
