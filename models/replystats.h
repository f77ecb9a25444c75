#pragma once

// The figures recorded under a reply, as a conversation keeps them (in SQLite and in an
// exported file), and for a reply that failed whether asking again may help. How the figures
// are measured and shown is models::ReplyFigures.

#include <QJsonObject>
#include <QString>

namespace models {

//! The figures under a reply.
struct ReplyStats
{
    bool present = false;
    double timeToFirstTokenMs = 0;       //!< from Send to the first streamed text
    double engineTimeToFirstTokenMs = 0; //!< the engine's own
    double tokensPerSecond = 0;
    qint64 completionTokens = 0, promptTokens = 0;
    //! The target's context window when the reply ran (ChatTarget::contextLength), 0 unknown:
    //! with the two counts above, how full the conversation's context is after this reply.
    qint64 contextLength = 0;
    QString finishReason; //!< stop, length, cancelled, error
    QString where;        //!< "local CPU, qwen3"
    //! A failed reply: true when the same request may succeed if sent again (a network error,
    //! a timeout, a rate limit, an overloaded server: client::isTransient; a local engine out
    //! of memory or a device error: enginehost::mayPassOnRetry), false when it fails the same
    //! way until the target or the request changes (a model with no weights, a refused
    //! argument, a prompt over the local model's context). Kept apart from `present`: a reply
    //! refused before it started has no figures but has this. Saved only when false, so replies
    //! saved before it existed read as transient, as they were shown then.
    bool errorTransient = true;
    QJsonObject toJson() const;
    static ReplyStats fromJson(const QJsonObject &o);
};

} // namespace models
