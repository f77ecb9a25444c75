#pragma once

// engine::Result<T>: a value or an engine::Error. The engine never throws across its public
// API; every fallible call returns one of these (STYLE.md §4).

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace engine {

//! What went wrong, with enough context to show the user (file, tensor, line, column...).
struct Error
{
    enum class Code {
        InvalidArgument, //!< bad input from the caller (parameters, JSON, text)
        NotFound,        //!< a file or tensor that should exist does not
        Unsupported,     //!< architecture, dtype or feature the engine does not handle
        Corrupt,         //!< a file exists but its content is malformed or inconsistent
        OutOfMemory,     //!< host or device allocation failed
        ContextLength,   //!< prompt (plus requested tokens) exceeds the context window
        Cancelled,       //!< the caller cancelled
        Io,              //!< operating-system I/O error
        Device,          //!< CUDA or other device error
        Internal,        //!< a bug: a check that should never fail did
    };
    Code code = Code::Internal;
    std::string message;
};

inline const char *errorCodeName(Error::Code code)
{
    switch (code) {
    case Error::Code::InvalidArgument: return "invalid argument";
    case Error::Code::NotFound: return "not found";
    case Error::Code::Unsupported: return "unsupported";
    case Error::Code::Corrupt: return "corrupt";
    case Error::Code::OutOfMemory: return "out of memory";
    case Error::Code::ContextLength: return "context length exceeded";
    case Error::Code::Cancelled: return "cancelled";
    case Error::Code::Io: return "I/O error";
    case Error::Code::Device: return "device error";
    case Error::Code::Internal: return "internal error";
    }
    return "error";
}

inline Error makeError(Error::Code code, std::string message)
{
    return Error{code, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { assert(ok()); return std::get<0>(m_data); }
    const T &value() const & { assert(ok()); return std::get<0>(m_data); }
    T &&value() && { assert(ok()); return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { assert(!ok()); return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

//! Result of an operation that yields nothing but may fail.
template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error &error() const { assert(!m_ok); return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

} // namespace engine
