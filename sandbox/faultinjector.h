#pragma once

#include <sandbox/apirequest.h>

#include <QRegularExpression>

#include <optional>
#include <vector>

namespace sandbox {

//! One injected fault: the next `remaining` requests matching path and method get it.
struct Fault
{
    enum class Kind { Status, Latency, Drop };
    int id = 0;
    QRegularExpression path;
    QByteArray method; //!< "*" for any
    Kind kind = Kind::Status;
    int status = 503;
    double retryAfterSeconds = 0;
    int latencyMs = 0;
    int remaining = 1;
};

//! Faults for tests and demos (off until one is added): answer with an error status,
//! answer late, or drop the connection without answering.
class FaultInjector
{
public:
    //! Parses the admin JSON ({"path","method","kind","status","retryAfterSeconds",
    //! "latencyMs","count"}); returns the fault's id or an error message.
    std::optional<int> add(const Json &spec, QString *error);
    void clear() { m_faults.clear(); }
    Json list() const;
    //! Consumes one use of the first matching fault.
    std::optional<Fault> take(const QByteArray &method, const QString &path);

private:
    std::vector<Fault> m_faults;
    int m_nextId = 1;
};

} // namespace sandbox
