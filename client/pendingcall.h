#pragma once

#include <client/result.h>
#include <client/transport.h>

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace client {

//! The untyped half of a call handle: finished() once, abort(), self-deleting.
class PendingCallBase : public QObject
{
    Q_OBJECT
public:
    bool isFinished() const { return m_finished; }
    //! Stops the call; the result becomes a Cancelled error and finished() is still emitted.
    virtual void abort();

Q_SIGNALS:
    void finished();
    //! Bytes sent so far for uploads (both -1 when unknown).
    void progress(qint64 done, qint64 total);

protected:
    explicit PendingCallBase(QObject *parent = nullptr);
    void attach(TransportReply *reply); // takes ownership
    void complete();                    // emits finished() once and schedules deletion
    virtual void onReplyFinished(const HttpResponse &response) = 0;
    TransportReply *reply() const { return m_reply; }

private:
    QPointer<TransportReply> m_reply; // owned
    bool m_finished = false;
};

//! A call whose answer decodes to T. Connect to finished() with your own object as the
//! context, then read result(); the handle deletes itself after finished().
template <typename T> class PendingCall : public PendingCallBase
{
public:
    using Decoder = std::function<Result<T>(const HttpResponse &)>;

    PendingCall(TransportReply *reply, Decoder decoder, QObject *parent = nullptr)
        : PendingCallBase(parent), m_decoder(std::move(decoder))
    {
        attach(reply);
    }
    //! A call that fails before any request is sent (e.g. an invalid ID).
    static PendingCall *failed(ApiError error, QObject *parent = nullptr)
    {
        auto *call = new PendingCall(nullptr, {}, parent);
        call->finishWith(std::move(error));
        return call;
    }

    const Result<T> &result() const { return *m_result; }
    bool hasResult() const { return m_result.has_value(); }

    void finishWith(Result<T> result)
    {
        if (isFinished())
            return;
        m_result.emplace(std::move(result));
        complete();
    }

protected:
    void onReplyFinished(const HttpResponse &response) override { finishWith(m_decoder(response)); }

private:
    Decoder m_decoder;
    std::optional<Result<T>> m_result;
};

} // namespace client
