#include "curlcommand.h"

#include <QStringList>

namespace client {

namespace {

QString shellQuote(const QString &s)
{
    QString out = s;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

} // namespace

QString curlCommand(const HttpRequest &request)
{
    QStringList parts{QStringLiteral("curl")};
    if (request.method != "GET")
        parts << QStringLiteral("-X") << QString::fromLatin1(request.method);
    parts << shellQuote(request.url.toString(QUrl::FullyEncoded));
    if (request.sendCredentials)
        parts << QStringLiteral("-H")
              << QStringLiteral("\"Authorization: Bearer $FIREWORKS_API_KEY\"");
    for (const auto &[name, value] : request.headers) {
        if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            continue; // credentials only ever come from the environment variable
        parts << QStringLiteral("-H")
              << shellQuote(QString::fromLatin1(name) + QStringLiteral(": ") +
                            QString::fromUtf8(value));
    }
    if (!request.bodyFilePath.isEmpty())
        parts << QStringLiteral("--data-binary")
              << shellQuote(QLatin1Char('@') + request.bodyFilePath);
    else if (!request.body.isEmpty())
        parts << QStringLiteral("-d") << shellQuote(QString::fromUtf8(request.body));
    return parts.join(QLatin1Char(' '));
}

} // namespace client
