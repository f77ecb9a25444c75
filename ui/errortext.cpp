#include "errortext.h"

#include <QCoreApplication>

namespace ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ui::ErrorText", text);
}

QString advice(const client::ApiError &e)
{
    using Kind = client::ApiError::Kind;
    switch (e.kind) {
    case Kind::Network:
        return tr("The server could not be reached. Check your network connection or the "
                  "profile's address.");
    case Kind::Timeout:
        return tr("The server did not answer in time. Try again.");
    case Kind::Unauthorized:
        return tr("The API key was rejected (401). Check the profile's API key in Settings.");
    case Kind::Forbidden:
        return tr("This API key may not do that (403). Check the key's account and role.");
    case Kind::NotFound:
        return tr("It does not exist (404); it may have been deleted.");
    case Kind::Conflict:
        return tr("It already exists or was changed at the same time (409).");
    case Kind::FailedPrecondition:
        return tr("It is not in a state that allows this.");
    case Kind::InvalidArgument:
        return tr("The request was refused as invalid.");
    case Kind::RateLimited:
        return e.retryAfterSeconds ? tr("Too many requests (429). Try again in %1 s.")
                                         .arg(qRound(*e.retryAfterSeconds))
                                   : tr("Too many requests (429). Try again shortly.");
    case Kind::Server:
        return tr("The server failed (%1). Try again later.").arg(e.httpStatus);
    case Kind::Decode:
        return tr("The server's answer did not have the expected shape.");
    case Kind::Cancelled:
        return tr("Cancelled.");
    }
    return {};
}

} // namespace

QString errorText(const QString &what, const client::ApiError &error)
{
    QString text = QStringLiteral("%1 failed. %2").arg(what, advice(error));
    if (!error.message.isEmpty() && error.kind != client::ApiError::Kind::Cancelled)
        text += QStringLiteral(" — ") + error.message;
    return text;
}

QString errorDetails(const client::ApiError &error)
{
    QStringList parts;
    parts << QStringLiteral("kind: %1").arg(QLatin1String(client::apiErrorKindName(error.kind)));
    if (error.httpStatus)
        parts << QStringLiteral("HTTP %1").arg(error.httpStatus);
    if (!error.grpcCode.isEmpty())
        parts << error.grpcCode;
    if (!error.requestId.isEmpty())
        parts << QStringLiteral("request id %1").arg(error.requestId);
    if (!error.rawBody.isEmpty())
        parts << QString::fromUtf8(error.rawBody.left(2000));
    return parts.join(QLatin1Char('\n'));
}

} // namespace ui
