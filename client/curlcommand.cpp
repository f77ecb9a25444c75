#include "curlcommand.h"

#include <QRegularExpression>
#include <QStringList>

namespace client {

namespace {

// curl's arguments are always quoted, so a copied request reads the same whatever it holds.
QString quoted(const QString &s)
{
    QString out = s;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

} // namespace

QString shellQuote(const QString &text)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=,@%+-]+$"));
    return safe.match(text).hasMatch() ? text : quoted(text);
}

QString curlCommand(const HttpRequest &request)
{
    QStringList parts{QStringLiteral("curl")};
    if (request.method != "GET")
        parts << QStringLiteral("-X") << QString::fromLatin1(request.method);
    parts << quoted(request.url.toString(QUrl::FullyEncoded));
    if (request.sendCredentials)
        parts << QStringLiteral("-H")
              << QStringLiteral("\"Authorization: Bearer $FIREWORKS_API_KEY\"");
    for (const auto &[name, value] : request.headers) {
        if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            continue; // credentials only ever come from the environment variable
        parts << QStringLiteral("-H")
              << quoted(QString::fromLatin1(name) + QStringLiteral(": ") +
                        QString::fromUtf8(value));
    }
    if (!request.bodyFilePath.isEmpty())
        parts << QStringLiteral("--data-binary") << quoted(QLatin1Char('@') + request.bodyFilePath);
    else if (!request.body.isEmpty())
        parts << QStringLiteral("-d") << quoted(QString::fromUtf8(request.body));
    return parts.join(QLatin1Char(' '));
}

} // namespace client
