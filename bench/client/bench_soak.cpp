// Soak under injected faults: the client core (ApiClient with its retry, auth and logging
// decorators over NetworkTransport) against the sandbox over real loopback HTTP, for N calls
// (default 10,000) of mixed families with several in flight. Before a call is sent, the
// sandbox's fault injector is armed for exactly that call's method and path: 429 with a
// Retry-After, 500, 503, a dropped connection, added latency, or a Retry-After longer than the
// policy waits for. Checks and prints:
//  - idempotent calls succeed unless every attempt was faulted (budget exhausted, counted);
//  - non-idempotent calls (POST, PATCH) reach the server exactly once, counted server-side
//    (SandboxOptions::requestObserver) and on the wire below the retry layer; only one call
//    per path is in flight, so the receipts on a method + path during a call are its own;
//  - every armed fault was used by the call it was meant for (no spill-over);
//  - RSS after 1,000 and after N calls (client and sandbox share this process), requests/s,
//    retries and the errors surfaced to callers by kind.
// Exit status 1 when a check fails. Asserts no timing.
//
//   bench_soak [--calls N] [--concurrency C] [--fault-rate P] [--seed S]

#include <client/accounts.h>
#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/deployments.h>
#include <client/models.h>
#include <client/networktransport.h>
#include <sandbox/sandboxserver.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <vector>

using namespace client;

namespace {

constexpr int kMaxAttempts = 4;
const QString kAccount = QStringLiteral("local");

double rssMiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

//! Below the retry layer: counts every attempt that goes on the wire, by method + path.
class CountingTransport : public Transport
{
public:
    explicit CountingTransport(Transport *inner) : m_inner(inner) {}
    TransportReply *send(const HttpRequest &request) override
    {
        ++attempts[request.method + ' ' + request.url.path().toUtf8()];
        ++total;
        return m_inner->send(request);
    }
    QHash<QByteArray, int> attempts;
    qint64 total = 0;

private:
    Transport *m_inner;
};

enum class FaultKind { Rate429, Status500, Status503, Drop, LongRetryAfter };

QString faultName(FaultKind kind)
{
    switch (kind) {
    case FaultKind::Rate429:
        return QStringLiteral("429");
    case FaultKind::LongRetryAfter:
        return QStringLiteral("429-long");
    case FaultKind::Status500:
        return QStringLiteral("500");
    case FaultKind::Status503:
        return QStringLiteral("503");
    case FaultKind::Drop:
        return QStringLiteral("drop");
    }
    return {};
}

QByteArray faultJson(FaultKind kind, const QByteArray &method, const QString &path)
{
    QJsonObject o{{QStringLiteral("path"),
                   QLatin1Char('^') + QRegularExpression::escape(path) + QLatin1Char('$')},
                  {QStringLiteral("method"), QString::fromLatin1(method)},
                  {QStringLiteral("count"), 1}};
    switch (kind) {
    case FaultKind::Rate429:
        o[QStringLiteral("status")] = 429;
        o[QStringLiteral("retryAfterSeconds")] = 0.02;
        break;
    case FaultKind::LongRetryAfter:
        o[QStringLiteral("status")] = 429;
        o[QStringLiteral("retryAfterSeconds")] = 120;
        break;
    case FaultKind::Status500:
        o[QStringLiteral("status")] = 500;
        break;
    case FaultKind::Status503:
        o[QStringLiteral("status")] = 503;
        break;
    case FaultKind::Drop:
        o[QStringLiteral("kind")] = QStringLiteral("drop");
        break;
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

struct Call
{
    QByteArray method;
    QString path; //!< the request's path: at most one call per path is in flight
    bool idempotent = true;
    int faults = 0; //!< error faults armed (each consumes one attempt)
    bool longRetryAfter = false;
    QStringList faultNames; //!< for the problem lines
    bool expectSuccess = true;
    std::function<void(bool ok)> onDone; //!< pool bookkeeping
};

struct Figures
{
    qint64 calls = 0, ok = 0, failed = 0;
    qint64 idempotent = 0, nonIdempotent = 0;
    qint64 budgetExhausted = 0, longRetryAfterSurfaced = 0, faultedNonIdempotent = 0;
    qint64 unexpectedFailures = 0, unexpectedSuccesses = 0;
    qint64 faultsArmed = 0, latencyArmed = 0;
    qint64 nonIdempotentSentTwice = 0, nonIdempotentNotReceived = 0;
    //! Requests the server received more often than the client's transport sent them: Qt's
    //! network stack re-sends a request by itself when the connection closes before an answer.
    qint64 hiddenResends = 0, callsWithHiddenResends = 0, idempotentSavedByHiddenResend = 0;
    std::map<QString, qint64> errorsByKind;
    QStringList firstProblems;
    void problem(const QString &text)
    {
        if (firstProblems.size() < 10)
            firstProblems << text;
    }
};

class Soak : public QObject
{
public:
    Soak(ApiClient *api, sandbox::SandboxServer *server, CountingTransport *wire, int calls,
         int concurrency, double faultRate, quint32 seed, bool drops)
        : m_api(api), m_server(server), m_wire(wire), m_calls(calls), m_concurrency(concurrency),
          m_faultRate(faultRate), m_drops(drops), m_rng(seed)
    {}

    //! Server side, by method + path: while a call runs no other call uses its path, so the
    //! receipts on that key during the call are the call's.
    QHash<QByteArray, int> receipts;
    Figures fig;
    double rssAt1000 = 0;
    double secondsAt1000 = 0;
    std::function<void()> onFinished;

    void setPools(QStringList models, QStringList datasets)
    {
        m_models = std::move(models);
        m_datasets = std::move(datasets);
    }
    void start()
    {
        m_timer.start();
        pump();
    }
    double seconds() const { return m_timer.elapsed() / 1000.0; }

    static QByteArray receiptKey(const QByteArray &method, const QString &path)
    {
        return method + ' ' + path.toUtf8();
    }

private:
    QString collectionPath(const char *collection) const
    {
        return QStringLiteral("/v1/accounts/%1/%2").arg(kAccount, QLatin1String(collection));
    }
    QString pick(const QStringList &pool, const QString &prefix)
    {
        for (int tries = 0; tries < 20 && !pool.isEmpty(); ++tries) {
            const QString id = pool.at(int(m_rng.bounded(quint32(pool.size()))));
            if (!m_inFlight.contains(prefix + id))
                return id;
        }
        return {};
    }

    //! Builds the next call; null when its path is busy (the pump tries again).
    std::unique_ptr<Call> next(std::function<PendingCallBase *(Call &)> &send)
    {
        auto c = std::make_unique<Call>();
        const QString models = collectionPath("models");
        const QString datasets = collectionPath("datasets");
        const quint32 r = m_rng.bounded(100u);
        const int n = m_serial++;
        if (r < 30) { // models.get
            const QString id = pick(m_models, models + '/');
            if (id.isEmpty())
                return nullptr;
            c->method = "GET";
            c->path = models + '/' + id;
            send = [this, id](Call &) { return m_api->models().get(id); };
        } else if (r < 42) { // models.list
            c->method = "GET";
            c->path = models;
            send = [this](Call &) {
                ListRequest l;
                l.pageSize = 20;
                return m_api->models().list(l);
            };
        } else if (r < 52) { // datasets.get
            const QString id = pick(m_datasets, datasets + '/');
            if (id.isEmpty())
                return nullptr;
            c->method = "GET";
            c->path = datasets + '/' + id;
            send = [this, id](Call &) { return m_api->datasets().get(id); };
        } else if (r < 60) { // datasets.list
            c->method = "GET";
            c->path = datasets;
            send = [this](Call &) {
                ListRequest l;
                l.pageSize = 20;
                return m_api->datasets().list(l);
            };
        } else if (r < 64) { // accounts.get
            c->method = "GET";
            c->path = QStringLiteral("/v1/accounts/%1").arg(kAccount);
            send = [this](Call &) { return m_api->accounts().get(kAccount); };
        } else if (r < 68) { // deployments.list
            c->method = "GET";
            c->path = collectionPath("deployments");
            send = [this](Call &) { return m_api->deployments().list(); };
        } else if (r < 80) { // models.create: POST, not idempotent
            const QString id = QStringLiteral("soak-m%1").arg(n);
            Model m;
            m.kind = ModelKind::HfPeftAddon;
            m.displayName = QStringLiteral("soak model %1").arg(n);
            m.peftDetails = PeftDetails{QStringLiteral("accounts/fireworks/models/qwen3-0p6b"),
                                        8,
                                        {QStringLiteral("q_proj")},
                                        {}};
            c->method = "POST";
            c->path = models;
            c->idempotent = false;
            c->onDone = [this, id](bool ok) {
                if (ok)
                    m_models << id;
            };
            send = [this, id, m](Call &) { return m_api->models().create(id, m); };
        } else if (r < 86) { // datasets.create: POST
            const QString id = QStringLiteral("soak-d%1").arg(n);
            Dataset d;
            d.displayName = QStringLiteral("soak dataset %1").arg(n);
            c->method = "POST";
            c->path = datasets;
            c->idempotent = false;
            c->onDone = [this, id](bool ok) {
                if (ok)
                    m_datasets << id;
            };
            send = [this, id, d](Call &) { return m_api->datasets().create(id, d); };
        } else if (r < 96) { // models.update: PATCH, not idempotent
            const QString id = pick(m_models, models + '/');
            if (id.isEmpty())
                return nullptr;
            Model m;
            m.displayName = QStringLiteral("renamed %1").arg(n);
            const QStringList mask{QStringLiteral("displayName")};
            c->method = "PATCH";
            c->path = models + '/' + id;
            c->idempotent = false;
            send = [this, id, m, mask](Call &) { return m_api->models().update(id, m, mask); };
        } else { // models.remove: DELETE, idempotent
            if (m_models.size() < 60)
                return nullptr;
            const QString id = pick(m_models, models + '/');
            if (id.isEmpty())
                return nullptr;
            m_models.removeOne(id); // nobody picks it while the delete runs
            c->method = "DELETE";
            c->path = models + '/' + id;
            c->onDone = [this, id](bool ok) {
                if (!ok)
                    m_models << id;
            };
            send = [this, id](Call &) { return m_api->models().remove(id); };
        }
        if (m_inFlight.contains(c->path))
            return nullptr;
        return c;
    }

    void arm(Call &c)
    {
        if (m_rng.generateDouble() >= m_faultRate)
            return;
        static const FaultKind errorKinds[] = {FaultKind::Rate429, FaultKind::Status500,
                                               FaultKind::Status503, FaultKind::Drop};
        const quint32 shape = m_rng.bounded(100u);
        if (shape < 5) {
            c.longRetryAfter = true;
            c.faults = 1;
        } else if (shape < 25) {
            c.faults = 0; // latency only
        } else if (!c.idempotent) {
            c.faults = 1; // not retried: a second fault would be left for the next call
        } else {
            // 1..kMaxAttempts consecutive errors; kMaxAttempts exhausts the budget.
            const quint32 k = m_rng.bounded(100u);
            c.faults = k < 55 ? 1 : k < 80 ? 2 : k < 92 ? 3 : kMaxAttempts;
        }
        QString error;
        for (int i = 0; i < c.faults; ++i) {
            const FaultKind kind = c.longRetryAfter ? FaultKind::LongRetryAfter
                                                    : errorKinds[m_rng.bounded(m_drops ? 4u : 3u)];
            if (!m_server->addFault(faultJson(kind, c.method, c.path), &error))
                qFatal("addFault: %s", qPrintable(error));
            c.faultNames << faultName(kind);
            ++fig.faultsArmed;
        }
        // Latency on the attempt that gets through (armed after the errors: first match wins).
        const bool reachesServer =
            !c.longRetryAfter && (c.idempotent ? c.faults < kMaxAttempts : c.faults == 0);
        if (reachesServer && m_rng.bounded(100u) < 40) {
            const QByteArray latency =
                QJsonDocument(
                    QJsonObject{
                        {QStringLiteral("path"),
                         QLatin1Char('^') + QRegularExpression::escape(c.path) + QLatin1Char('$')},
                        {QStringLiteral("method"), QString::fromLatin1(c.method)},
                        {QStringLiteral("kind"), QStringLiteral("latency")},
                        {QStringLiteral("latencyMs"), int(5 + m_rng.bounded(40u))}})
                    .toJson(QJsonDocument::Compact);
            if (!m_server->addFault(latency, &error))
                qFatal("addFault: %s", qPrintable(error));
            ++fig.latencyArmed;
        }
        c.expectSuccess =
            !c.longRetryAfter && (c.idempotent ? c.faults < kMaxAttempts : c.faults == 0);
    }

    void pump()
    {
        int stalls = 0;
        while (m_started < m_calls && m_inFlight.size() < m_concurrency && stalls < 50) {
            std::function<PendingCallBase *(Call &)> send;
            std::unique_ptr<Call> c = next(send);
            if (!c) {
                ++stalls;
                continue;
            }
            arm(*c);
            ++m_started;
            m_inFlight.insert(c->path);
            const QByteArray wireKey = c->method + ' ' + c->path.toUtf8();
            const int wireBefore = m_wire->attempts.value(wireKey);
            const QByteArray receipt = receiptKey(c->method, c->path);
            const int receiptsBefore = receipts.value(receipt);
            PendingCallBase *call = send(*c);
            Call *raw = c.release();
            QObject::connect(call, &PendingCallBase::finished, this,
                             [this, call, raw, wireKey, wireBefore, receipt, receiptsBefore] {
                                 std::unique_ptr<Call> c(raw);
                                 finished(*c, call, m_wire->attempts.value(wireKey) - wireBefore,
                                          receipts.value(receipt) - receiptsBefore);
                             });
        }
        if (m_started >= m_calls && m_inFlight.isEmpty() && onFinished)
            onFinished();
        else if (m_inFlight.isEmpty())
            QTimer::singleShot(0, this, [this] { pump(); });
    }

    void finished(Call &c, PendingCallBase *call, int wireAttempts, int serverReceipts)
    {
        m_inFlight.remove(c.path);
        const std::optional<ApiError> error = errorOf(call);
        const bool ok = !error;
        ++fig.calls;
        ++(c.idempotent ? fig.idempotent : fig.nonIdempotent);
        ++(ok ? fig.ok : fig.failed);
        if (error)
            ++fig.errorsByKind[QString::fromLatin1(apiErrorKindName(error->kind)) +
                               (error->httpStatus ? QStringLiteral(" %1").arg(error->httpStatus)
                                                  : QString())];
        const QString what =
            QStringLiteral("%1 %2 [faults: %3]")
                .arg(QString::fromLatin1(c.method), c.path, c.faultNames.join(QLatin1Char(',')));
        if (!ok && !c.expectSuccess) {
            if (c.longRetryAfter)
                ++fig.longRetryAfterSurfaced;
            else if (c.idempotent)
                ++fig.budgetExhausted;
            else
                ++fig.faultedNonIdempotent;
        }
        if (!ok && c.expectSuccess) {
            ++fig.unexpectedFailures;
            fig.problem(QStringLiteral("%1 failed with %2 faults: %3")
                            .arg(what)
                            .arg(c.faults)
                            .arg(error->summary()));
        }
        if (serverReceipts > wireAttempts) {
            fig.hiddenResends += serverReceipts - wireAttempts;
            ++fig.callsWithHiddenResends;
        }
        if (ok && !c.expectSuccess && c.idempotent && serverReceipts > wireAttempts) {
            ++fig.idempotentSavedByHiddenResend; // more attempts than the policy, not a bug here
        } else if (ok && !c.expectSuccess) {
            ++fig.unexpectedSuccesses;
            fig.problem(QStringLiteral("%1 succeeded through %2 faults").arg(what).arg(c.faults));
        }
        if (!c.idempotent) {
            if (serverReceipts > 1 || wireAttempts > 1) {
                ++fig.nonIdempotentSentTwice;
                fig.problem(QStringLiteral("%1 reached the server %2 times (%3 on the wire)")
                                .arg(what)
                                .arg(serverReceipts)
                                .arg(wireAttempts));
            } else if (serverReceipts == 0) {
                ++fig.nonIdempotentNotReceived;
                fig.problem(QStringLiteral("%1 never reached the server").arg(what));
            }
        }
        if (c.onDone)
            c.onDone(ok);
        if (fig.calls == 1000) {
            rssAt1000 = rssMiB();
            secondsAt1000 = seconds();
        }
        if (fig.calls % 1000 == 0)
            std::fprintf(stderr, "soak: %lld calls, %.1f s, RSS %.1f MiB\n",
                         static_cast<long long>(fig.calls), seconds(), rssMiB());
        pump();
    }

    static std::optional<ApiError> errorOf(PendingCallBase *call)
    {
        // The pending call types differ per family; each exposes result() with ok()/error().
#define FIREDECK_SOAK_TRY(T)                                                                       \
    if (auto *p = dynamic_cast<PendingCall<T> *>(call))                                            \
        return p->result().ok() ? std::nullopt : std::optional<ApiError>(p->result().error());
        FIREDECK_SOAK_TRY(Model)
        FIREDECK_SOAK_TRY(Page<Model>)
        FIREDECK_SOAK_TRY(Dataset)
        FIREDECK_SOAK_TRY(Page<Dataset>)
        FIREDECK_SOAK_TRY(Account)
        FIREDECK_SOAK_TRY(Page<Deployment>)
        FIREDECK_SOAK_TRY(Empty)
#undef FIREDECK_SOAK_TRY
        qFatal("soak: unknown call type");
    }

    ApiClient *m_api;
    sandbox::SandboxServer *m_server;
    CountingTransport *m_wire;
    int m_calls, m_concurrency;
    double m_faultRate;
    bool m_drops;
    QRandomGenerator m_rng;
    QElapsedTimer m_timer;
    QStringList m_models, m_datasets;
    QSet<QString> m_inFlight;
    int m_started = 0;
    int m_serial = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption callsOpt(QStringLiteral("calls"), QStringLiteral("Calls (10000)."),
                                QStringLiteral("N"), QStringLiteral("10000"));
    QCommandLineOption concOpt(QStringLiteral("concurrency"), QStringLiteral("In flight (8)."),
                               QStringLiteral("C"), QStringLiteral("8"));
    QCommandLineOption rateOpt(QStringLiteral("fault-rate"),
                               QStringLiteral("Share of calls with faults armed (0.2)."),
                               QStringLiteral("P"), QStringLiteral("0.2"));
    QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Random seed (1)."),
                               QStringLiteral("S"), QStringLiteral("1"));
    QCommandLineOption noDropOpt(QStringLiteral("no-drop"),
                                 QStringLiteral("No dropped connections (429/500/503 only)."));
    parser.addOptions({callsOpt, concOpt, rateOpt, seedOpt, noDropOpt});
    parser.process(app);
    const int calls = parser.value(callsOpt).toInt();
    const int concurrency = std::max(1, parser.value(concOpt).toInt());
    const double faultRate = parser.value(rateOpt).toDouble();
    const quint32 seed = parser.value(seedOpt).toUInt();

    QTemporaryDir dir;
    Soak *soakPtr = nullptr;
    sandbox::SandboxOptions options;
    options.dataDir = dir.path();
    options.seedCatalog = true;
    options.requestObserver = [&soakPtr](const QByteArray &method, const QString &path,
                                         const QString &, const QByteArray &) {
        if (soakPtr)
            ++soakPtr->receipts[Soak::receiptKey(method, path)];
    };
    sandbox::SandboxServer server(options);
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "sandbox did not start: %s\n", qPrintable(error));
        return 1;
    }
    QNetworkAccessManager nam;
    NetworkTransport network(&nam);
    CountingTransport wire(&network);
    ApiClientOptions o;
    o.baseUrl = server.baseUrl();
    o.accountId = kAccount;
    o.apiKey = QStringLiteral("fw_local_sandbox_key");
    // The SDK policy's shape with short delays, so 10,000 calls take minutes, not hours.
    o.retry.maxAttempts = kMaxAttempts;
    o.retry.baseDelayMs = 10;
    o.retry.maxDelayMs = 80;
    o.retry.maxRetryAfterSeconds = 5;
    ApiClient api(o, &wire);

    // Something to read: 50 models and 50 datasets, created before the soak (no faults).
    QStringList models, datasets;
    {
        int pending = 0;
        for (int i = 0; i < 50; ++i) {
            Model m;
            m.kind = ModelKind::HfPeftAddon;
            m.displayName = QStringLiteral("base %1").arg(i);
            m.peftDetails = PeftDetails{QStringLiteral("accounts/fireworks/models/qwen3-0p6b"),
                                        8,
                                        {QStringLiteral("q_proj")},
                                        {}};
            const QString mid = QStringLiteral("seed-m%1").arg(i);
            const QString did = QStringLiteral("seed-d%1").arg(i);
            for (PendingCallBase *c :
                 {static_cast<PendingCallBase *>(api.models().create(mid, m)),
                  static_cast<PendingCallBase *>(api.datasets().create(did, Dataset{}))}) {
                ++pending;
                QObject::connect(c, &PendingCallBase::finished, &app, [&] { --pending; });
            }
            models << mid;
            datasets << did;
        }
        while (pending > 0)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    const qint64 wireBeforeSoak = wire.total;

    const bool drops = !parser.isSet(noDropOpt);
    Soak soak(&api, &server, &wire, calls, concurrency, faultRate, seed, drops);
    soakPtr = &soak;
    soak.setPools(models, datasets);
    bool done = false;
    soak.onFinished = [&] { done = true; };
    soak.start();
    while (!done)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    const double seconds = soak.seconds();
    const double rssEnd = rssMiB();

    // Faults armed but never used mean some call took fewer attempts than planned.
    int leftover = -1;
    {
        QNetworkRequest req(QUrl(server.baseUrl().toString() + QStringLiteral("/admin/faults")));
        QNetworkReply *reply = nam.get(req);
        while (!reply->isFinished())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
        leftover = o.value(QStringLiteral("faults")).toArray().size();
        reply->deleteLater();
    }

    const Figures &f = soak.fig;
    const qint64 attempts = wire.total - wireBeforeSoak;
    std::printf("bench_soak: %lld calls, concurrency %d, fault rate %.2f%s, seed %u, retry "
                "policy %d attempts / %d..%d ms backoff / Retry-After up to %.0f s\n",
                static_cast<long long>(f.calls), concurrency, faultRate, drops ? "" : " (no drops)",
                seed, kMaxAttempts, o.retry.baseDelayMs, o.retry.maxDelayMs,
                o.retry.maxRetryAfterSeconds);
    std::printf("  time %.1f s, %.0f calls/s, %lld HTTP attempts (%.0f/s), retries %lld\n", seconds,
                f.calls / seconds, static_cast<long long>(attempts), attempts / seconds,
                static_cast<long long>(attempts - f.calls));
    std::printf("  faults armed: %lld error/drop, %lld latency; left unused: %d\n",
                static_cast<long long>(f.faultsArmed), static_cast<long long>(f.latencyArmed),
                leftover);
    std::printf("  idempotent calls: %lld, budget exhausted (every attempt faulted): %lld\n",
                static_cast<long long>(f.idempotent), static_cast<long long>(f.budgetExhausted));
    std::printf("  Retry-After beyond the policy, surfaced at once: %lld\n",
                static_cast<long long>(f.longRetryAfterSurfaced));
    std::printf("  non-idempotent calls: %lld, failed on their one fault: %lld, reached the "
                "server twice: %lld, never: %lld\n",
                static_cast<long long>(f.nonIdempotent),
                static_cast<long long>(f.faultedNonIdempotent),
                static_cast<long long>(f.nonIdempotentSentTwice),
                static_cast<long long>(f.nonIdempotentNotReceived));
    std::printf("  re-sent inside Qt's network stack (server receipts beyond the client's sends): "
                "%lld requests in %lld calls; idempotent calls that succeeded only through them: "
                "%lld\n",
                static_cast<long long>(f.hiddenResends),
                static_cast<long long>(f.callsWithHiddenResends),
                static_cast<long long>(f.idempotentSavedByHiddenResend));
    std::printf("  ok %lld, errors surfaced %lld:", static_cast<long long>(f.ok),
                static_cast<long long>(f.failed));
    for (const auto &[kind, n] : f.errorsByKind)
        std::printf(" %s=%lld", qPrintable(kind), static_cast<long long>(n));
    std::printf("\n  unexpected failures %lld, unexpected successes %lld\n",
                static_cast<long long>(f.unexpectedFailures),
                static_cast<long long>(f.unexpectedSuccesses));
    std::printf("  RSS after 1,000 calls %.1f MiB (%.1f s), after %lld calls %.1f MiB (%+.1f%%)\n",
                soak.rssAt1000, soak.secondsAt1000, static_cast<long long>(f.calls), rssEnd,
                soak.rssAt1000 > 0 ? 100.0 * (rssEnd - soak.rssAt1000) / soak.rssAt1000 : 0.0);
    for (const QString &p : f.firstProblems)
        std::printf("  problem: %s\n", qPrintable(p));
    const bool pass = f.unexpectedFailures == 0 && f.unexpectedSuccesses == 0 &&
                      f.nonIdempotentSentTwice == 0 && f.nonIdempotentNotReceived == 0 &&
                      leftover == 0;
    std::printf("  %s\n", pass ? "PASS" : "FAIL");
    server.stop();
    return pass ? 0 : 1;
}
