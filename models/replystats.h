#pragma once

// The figures recorded under a reply, as a conversation keeps them (in SQLite and in an
// exported file). How they are measured and shown is models::ReplyFigures.

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
    QString finishReason; //!< stop, length, cancelled, error
    QString where;        //!< "local CPU, qwen3"
    QJsonObject toJson() const;
    static ReplyStats fromJson(const QJsonObject &o);
};

} // namespace models
