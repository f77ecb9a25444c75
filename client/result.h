#pragma once

#include <client/apierror.h>

#include <cassert>
#include <utility>
#include <variant>

namespace client {

//! A value of T or an ApiError. Nothing in client/ throws across its API.
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(ApiError error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const &
    {
        assert(ok());
        return std::get<0>(m_data);
    }
    T &value() &
    {
        assert(ok());
        return std::get<0>(m_data);
    }
    T &&value() &&
    {
        assert(ok());
        return std::get<0>(std::move(m_data));
    }
    const T *operator->() const { return &value(); }
    //! The error; on a successful result (a caller bug) an empty Server error, not a crash.
    const ApiError &error() const
    {
        static const ApiError notAnError =
            ApiError::make(ApiError::Kind::Server, QStringLiteral("(no error)"));
        return ok() ? notAnError : std::get<1>(m_data);
    }

private:
    std::variant<T, ApiError> m_data;
};

//! For calls whose answer carries nothing (`{}`).
struct Empty
{
};

} // namespace client
