#pragma once

// Helpers of the sandbox.training test: a sandbox on a temporary folder, raw HTTP to it
// (QNetworkAccessManager, so every header is visible), resources created as a script would,
// and the metrics and logs of a job read through its signed URLs.

#include "common/networkcall.h"

#include <sandbox/sandboxserver.h>
#include <sandbox/trainingrun.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <cmath>
#include <memory>

namespace testing {

struct Reply
{
    int status = 0;
    QByteArray body;
    QByteArray contentRange;
    QByteArray acceptRanges;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

inline constexpr auto kBase = "accounts/fireworks/models/llama-v3p1-8b-instruct";

inline const QByteArray kRftRows =
    R"({"messages":[{"role":"user","content":"2+3?"}],"ground_truth":"5"}
{"messages":[{"role":"user","content":"1+1?"}],"ground_truth":"2"}
{"messages":[{"role":"user","content":"3*3?"}],"ground_truth":"9"}
{"messages":[{"role":"user","content":"10-4?"}],"ground_truth":"6"}
)";
inline const QByteArray kSftRows =
    R"({"messages":[{"role":"user","content":"What is 2+2?"},{"role":"assistant","content":"4"}]}
{"messages":[{"role":"user","content":"What is 3+3?"},{"role":"assistant","content":"6"}]}
{"messages":[{"role":"user","content":"What is 4+4?"},{"role":"assistant","content":"8"}]}
)";

// One metrics JSONL line, parsed leniently: Python's NaN/Infinity tokens become numbers.
inline QJsonObject metricsLine(QByteArray line)
{
    line.replace("NaN", "\"NaN\"").replace("Infinity", "\"Infinity\"");
    return QJsonDocument::fromJson(line).object();
}

inline double number(const QJsonValue &v)
{
    if (v.isString())
        return v.toString() == QLatin1String("NaN") ? std::nan("")
                                                    : std::numeric_limits<double>::infinity();
    return v.toDouble(std::nan(""));
}

inline QList<QByteArray> lines(const QByteArray &text)
{
    QList<QByteArray> out = text.split('\n');
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

inline QByteArray withoutTimestamps(const QByteArray &log)
{
    QByteArray out;
    for (const QByteArray &l : lines(log))
        out += l.mid(l.indexOf(' ') + 1) + '\n';
    return out;
}

//! The test class derives from this: a sandbox per test and HTTP helpers.
class TrainingHttp : public QObject
{
protected:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    QNetworkAccessManager m_nam;
    int m_serverCount = 0;

    void startServer(double timeScale, int urlLifetime = 3600)
    {
        m_server.reset();
        sandbox::SandboxOptions o;
        o.dataDir = m_dir.path() + QStringLiteral("/data%1").arg(++m_serverCount);
        o.timeScale = timeScale;
        o.signedUrlLifetimeSeconds = urlLifetime;
        m_server = std::make_unique<sandbox::SandboxServer>(o);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }
    Reply send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
               const QByteArray &contentType = "application/json", const QByteArray &range = {})
    {
        QNetworkRequest request(url);
        if (url.path().startsWith(QLatin1String("/v1/")))
            request.setRawHeader("Authorization", "Bearer test-key");
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        if (!range.isEmpty())
            request.setRawHeader("Range", range);
        const NetworkAnswer a = callAndWait(m_nam, request, method, body);
        return Reply{a.status, a.body, a.header("Content-Range"), a.header("Accept-Ranges")};
    }
    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        return send(method, m_server->baseUrl().resolved(QUrl(path)), body);
    }
    Reply fetch(const QString &signedUrl, const QByteArray &range = {})
    {
        return send("GET", QUrl(signedUrl), {}, {}, range);
    }
    //! Creates a dataset and uploads `content`; empty on success, else what went wrong.
    QString dataset(const QString &id, const QByteArray &content)
    {
        const Reply c = call("POST", QStringLiteral("/v1/accounts/local/datasets"),
                             QStringLiteral(R"({"datasetId":"%1","dataset":{}})").arg(id).toUtf8());
        if (c.status != 200)
            return QString::fromUtf8(c.body);
        const QByteArray multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                                     "filename=\"data.jsonl\"\r\n"
                                     "Content-Type: application/octet-stream\r\n\r\n" +
                                     content + "\r\n--XyZ--\r\n";
        const Reply u = send("POST",
                             m_server->baseUrl().resolved(QUrl(
                                 QStringLiteral("/v1/accounts/local/datasets/%1:upload").arg(id))),
                             multipart, "multipart/form-data; boundary=XyZ");
        return u.status == 200 ? QString() : QString::fromUtf8(u.body);
    }
    QString evaluator(const QString &id, const QJsonObject &evaluator)
    {
        const Reply r = call("POST", QStringLiteral("/v1/accounts/local/evaluatorsV2"),
                             QJsonDocument(QJsonObject{{QStringLiteral("evaluatorId"), id},
                                                       {QStringLiteral("evaluator"), evaluator}})
                                 .toJson());
        return r.status == 200 ? QString() : QString::fromUtf8(r.body);
    }
    //! Creates a job; its path below /v1/ on success, empty on failure (with a warning).
    QString job(const QString &collection, const QString &id, const QJsonObject &body)
    {
        const QString idParam = collection.left(collection.size() - 1) + QStringLiteral("Id");
        const Reply r =
            call("POST", QStringLiteral("/v1/accounts/local/%1?%2=%3").arg(collection, idParam, id),
                 QJsonDocument(body).toJson());
        if (r.status != 200) {
            qWarning("create %s: %s", qPrintable(id), r.body.constData());
            return {};
        }
        return QStringLiteral("/v1/accounts/local/%1/%2").arg(collection, id);
    }
    QJsonObject sftJob(const QString &dataset, double lr, int epochs,
                       const QString &displayName = {})
    {
        QJsonObject o{
            {QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/") + dataset},
            {QStringLiteral("baseModel"), QLatin1String(kBase)},
            {QStringLiteral("learningRate"), lr},
            {QStringLiteral("epochs"), epochs}};
        if (!displayName.isEmpty())
            o.insert(QStringLiteral("displayName"), displayName);
        return o;
    }
    //! Polls the job until its state is one of `states`; the last body read.
    QJsonObject waitFor(const QString &path, const QStringList &states, int timeoutMs = 30000)
    {
        QJsonObject body;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            body = call("GET", path).json();
            if (states.contains(body.value(QStringLiteral("state")).toString()))
                return body;
            QTest::qWait(50);
        }
        return body;
    }
    //! The metrics JSONL behind a finished job: SFT's URL on the job, or the endpoint's.
    QByteArray metricsOf(const QString &path, const QJsonObject &jobBody)
    {
        QString url = jobBody.value(QStringLiteral("metricsFileSignedUrl")).toString();
        if (url.isEmpty())
            url = call("GET", path + QStringLiteral(":getMetricsFileEndpoint"))
                      .json()
                      .value(QStringLiteral("signedUrl"))
                      .toString();
        return fetch(url).body;
    }
    QByteArray logOf(const QJsonObject &jobBody)
    {
        return fetch(jobBody.value(QStringLiteral("trainerLogsSignedUrl")).toString()).body;
    }
    QVector<double> series(const QByteArray &jsonl, const QString &key)
    {
        QVector<double> out;
        for (const QByteArray &l : lines(jsonl)) {
            const QJsonObject data = metricsLine(l).value(QStringLiteral("data")).toObject();
            if (data.contains(key))
                out.append(number(data.value(key)));
        }
        return out;
    }
};

} // namespace testing
