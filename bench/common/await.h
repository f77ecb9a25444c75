#pragma once

// Benchmarks call the client from main() and wait for each answer in a real event loop.

#include <client/pendingcall.h>

#include <QObject>
#include <QSignalSpy>

#include <optional>

namespace bench {

//! Runs the event loop until `call` finishes (at most a minute) and returns its result.
template <typename T> client::Result<T> await(client::PendingCall<T> *call)
{
    std::optional<client::Result<T>> result;
    QObject context;
    QObject::connect(call, &client::PendingCallBase::finished, &context,
                     [&] { result = call->result(); });
    QSignalSpy spy(call, &client::PendingCallBase::finished);
    if (!result)
        spy.wait(60000);
    if (!result)
        return client::ApiError::make(client::ApiError::Kind::Timeout, QStringLiteral("timed out"));
    return *result;
}

} // namespace bench
