#include "faultinjector.h"

namespace sandbox {

std::optional<int> FaultInjector::add(const Json &spec, QString *error)
{
    if (!spec.is_object()) {
        *error = QStringLiteral("a fault must be a JSON object");
        return std::nullopt;
    }
    Fault f;
    f.id = m_nextId++;
    const QString path = toQ(spec.value("path", std::string(".*")));
    f.path = QRegularExpression(path);
    if (!f.path.isValid()) {
        *error = QStringLiteral("field 'path': invalid regular expression: %1")
                     .arg(f.path.errorString());
        return std::nullopt;
    }
    f.method = QByteArray::fromStdString(spec.value("method", std::string("*"))).toUpper();
    const std::string kind = spec.value("kind", std::string("status"));
    if (kind == "status")
        f.kind = Fault::Kind::Status;
    else if (kind == "latency")
        f.kind = Fault::Kind::Latency;
    else if (kind == "drop")
        f.kind = Fault::Kind::Drop;
    else {
        *error = QStringLiteral("field 'kind' must be status, latency or drop");
        return std::nullopt;
    }
    auto number = [&](const char *key, double fallback) -> std::optional<double> {
        if (!spec.contains(key))
            return fallback;
        if (!spec[key].is_number()) {
            *error = QStringLiteral("field '%1' must be a number").arg(QLatin1String(key));
            return std::nullopt;
        }
        return spec[key].get<double>();
    };
    auto status = number("status", 503);
    auto retryAfter = number("retryAfterSeconds", 0);
    auto latency = number("latencyMs", 0);
    auto count = number("count", 1);
    if (!status || !retryAfter || !latency || !count)
        return std::nullopt;
    if (*status < 400 || *status > 599) {
        *error = QStringLiteral("field 'status' must be an HTTP error status (400-599)");
        return std::nullopt;
    }
    f.status = int(*status);
    f.retryAfterSeconds = *retryAfter;
    f.latencyMs = int(*latency);
    f.remaining = std::max(1, int(*count));
    m_faults.push_back(f);
    return f.id;
}

Json FaultInjector::list() const
{
    Json out = Json::array();
    for (const Fault &f : m_faults)
        out.push_back({{"id", f.id},
                       {"path", toS(f.path.pattern())},
                       {"method", f.method.toStdString()},
                       {"kind", f.kind == Fault::Kind::Status    ? "status"
                                : f.kind == Fault::Kind::Latency ? "latency"
                                                                 : "drop"},
                       {"status", f.status},
                       {"retryAfterSeconds", f.retryAfterSeconds},
                       {"latencyMs", f.latencyMs},
                       {"remaining", f.remaining}});
    return out;
}

std::optional<Fault> FaultInjector::take(const QByteArray &method, const QString &path)
{
    for (auto it = m_faults.begin(); it != m_faults.end(); ++it) {
        if (it->method != "*" && it->method != method)
            continue;
        if (!it->path.match(path).hasMatch())
            continue;
        Fault f = *it;
        if (--it->remaining <= 0)
            m_faults.erase(it);
        return f;
    }
    return std::nullopt;
}

} // namespace sandbox
