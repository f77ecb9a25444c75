#include "filter.h"

#include <QRegularExpression>

namespace sandbox {

QString camelFromSnake(const QString &s)
{
    QString out;
    bool upper = false;
    for (const QChar c : s) {
        if (c == QLatin1Char('_')) {
            upper = true;
            continue;
        }
        out += upper ? c.toUpper() : c;
        upper = false;
    }
    return out;
}

std::optional<std::vector<FilterClause>> parseFilter(const QString &filter, QString *error)
{
    std::vector<FilterClause> clauses;
    if (filter.trimmed().isEmpty())
        return clauses;
    static const QRegularExpression andRe(QStringLiteral("\\s+AND\\s+"));
    static const QRegularExpression clauseRe(
        QStringLiteral("^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*(!=|=)\\s*(\"([^\"]*)\"|(\\S+))\\s*$"));
    for (const QString &part : filter.split(andRe)) {
        const auto m = clauseRe.match(part);
        if (!m.hasMatch()) {
            *error = QStringLiteral(
                         "filter: cannot parse \"%1\" (supported: field=value, field!=value, AND)")
                         .arg(part.trimmed());
            return std::nullopt;
        }
        FilterClause c;
        c.field = camelFromSnake(m.captured(1));
        c.negate = m.captured(2) == QLatin1String("!=");
        c.value = m.captured(4).isNull() || m.captured(3).startsWith(QLatin1Char('"')) == false
                      ? m.captured(3)
                      : m.captured(4);
        if (m.captured(3).startsWith(QLatin1Char('"')))
            c.value = m.captured(4);
        clauses.push_back(c);
    }
    return clauses;
}

namespace {

QString fieldText(const Json &body, const QString &dottedPath)
{
    const Json *v = &body;
    for (const QString &part : dottedPath.split(QLatin1Char('.'))) {
        if (!v->is_object())
            return {};
        auto it = v->find(toS(part));
        if (it == v->end())
            return {};
        v = &*it;
    }
    if (v->is_string())
        return toQ(v->get<std::string>());
    if (v->is_null())
        return {};
    return toQ(v->dump());
}

} // namespace

bool matchesFilter(const Json &body, const std::vector<FilterClause> &clauses)
{
    for (const FilterClause &c : clauses) {
        QString actual = fieldText(body, c.field);
        // Job states may be written without their prefix in filters (state=RUNNING).
        bool equal = actual == c.value || actual == QStringLiteral("JOB_STATE_") + c.value;
        if (c.field == QLatin1String("name") && !equal)
            equal = actual.section(QLatin1Char('/'), -1) == c.value;
        if (equal == c.negate)
            return false;
    }
    return true;
}

Json readMaskApply(const Json &body, const QString &readMask)
{
    if (readMask.isEmpty() || readMask == QLatin1String("*"))
        return body;
    Json out = Json::object();
    for (const QString &f : readMask.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const std::string key = toS(camelFromSnake(f.trimmed()));
        if (body.contains(key))
            out[key] = body[key];
    }
    if (body.contains("name"))
        out["name"] = body["name"];
    return out;
}

} // namespace sandbox
