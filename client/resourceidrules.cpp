#include "resourceidrules.h"

#include "common.h"

#include <QCoreApplication>
#include <QStringList>

namespace client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("client::ResourceIdRules", text);
}

bool isAllowed(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
           (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-');
}

//! Each character once, in the order first seen, as the person typed it.
QString listed(const QList<QChar> &chars)
{
    QStringList out;
    for (QChar c : chars)
        out << (c == QLatin1Char(' ') ? tr("space") : QString(c));
    return out.join(QStringLiteral(", "));
}

} // namespace

QString resourceIdProblem(const QString &id)
{
    if (isValidResourceId(id))
        return {};
    if (id.isEmpty())
        return tr("it is empty");
    QStringList problems;
    QList<QChar> capitals;
    QList<QChar> others;
    for (QChar c : id) {
        if (isAllowed(c))
            continue;
        QList<QChar> &into = c.isUpper() ? capitals : others;
        if (!into.contains(c))
            into << c;
    }
    if (!capitals.isEmpty())
        problems << tr("capital letters are not allowed (%1)").arg(listed(capitals));
    if (others.size() == 1)
        problems << tr("\"%1\" is not allowed").arg(listed(others));
    else if (others.size() > 1)
        problems << tr("these characters are not allowed: %1").arg(listed(others));
    const QChar first = id.front();
    if (isAllowed(first) && !(first >= QLatin1Char('a') && first <= QLatin1Char('z')))
        problems << tr("it starts with \"%1\" instead of a letter").arg(first);
    if (id.back() == QLatin1Char('-') && id.size() > 1)
        problems << tr("it ends with \"-\"");
    if (id.size() > 63)
        problems << tr("it is %1 characters long, 63 at most").arg(id.size());
    return problems.join(QStringLiteral("; "));
}

} // namespace client
