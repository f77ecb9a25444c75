// Non-idempotent calls reach the server at most once, even when the connection drops before
// the answer: Qt's HTTP layer would otherwise send the request again by itself (the soak found
// duplicated creates). The sandbox's fault injector drops the connection; its request observer
// counts what arrived.

#include <client/datasets.h>
#include <client/models.h>

#include <common/sandboxfixture.h>

#include <QHash>
#include <QTest>

using namespace client;
using testing::await;

namespace {

struct Receipts
{
    QHash<QByteArray, int> byKey; //!< "METHOD /path"
    int count(const QByteArray &method, const QString &path) const
    {
        return byKey.value(method + ' ' + path.toUtf8());
    }
};

sandbox::SandboxOptions observed(Receipts *receipts)
{
    sandbox::SandboxOptions o;
    o.requestObserver = [receipts](const QByteArray &method, const QString &path, const QString &,
                                   const QByteArray &) {
        ++receipts->byKey[method + ' ' + path.toUtf8()];
    };
    return o;
}

QByteArray dropFault(const char *method, const QString &pathRegex, int count = 1)
{
    return QStringLiteral(R"({"path":"%1","method":"%2","kind":"drop","count":%3})")
        .arg(pathRegex, QLatin1String(method))
        .arg(count)
        .toUtf8();
}

Model peftModel(const QString &displayName)
{
    Model m;
    m.kind = ModelKind::HfPeftAddon;
    m.displayName = displayName;
    m.peftDetails = PeftDetails{
        QStringLiteral("accounts/fireworks/models/qwen3-0p6b"), 8, {QStringLiteral("q_proj")}, {}};
    return m;
}

const QString kModels = QStringLiteral("/v1/accounts/local/models");

} // namespace

class tst_SendOnce : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createWithDroppedConnection_reachesServerOnce()
    {
        Receipts receipts;
        testing::SandboxFixture sb(observed(&receipts));
        // Warm the keep-alive connection first, as in a session: Qt re-sends on reused ones.
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("warm"), peftModel("warm"))));
        receipts.byKey.clear();

        for (int i = 0; i < 5; ++i) {
            sb.addFault(dropFault("POST", QStringLiteral("^%1$").arg(kModels)));
            const QString id = QStringLiteral("dropped-%1").arg(i);
            auto r = await(sb.api().models().create(id, peftModel(id)));
            QVERIFY2(!r.ok(), "a create whose connection dropped cannot have an answer");
            QCOMPARE(r.error().kind, ApiError::Kind::Network);
            QCOMPARE(receipts.count("POST", kModels), i + 1);
            // Not created behind the caller's back by a hidden second send either.
            auto get = await(sb.api().models().get(id));
            QVERIFY(!get.ok());
            QCOMPARE(get.error().kind, ApiError::Kind::NotFound);
        }
    }

    void patchWithDroppedConnection_reachesServerOnce()
    {
        Receipts receipts;
        testing::SandboxFixture sb(observed(&receipts));
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("m"), peftModel("before"))));
        const QString path = kModels + QStringLiteral("/m");
        sb.addFault(dropFault("PATCH", QStringLiteral("^%1$").arg(path)));
        Model change;
        change.displayName = QStringLiteral("after");
        auto r = await(
            sb.api().models().update(QStringLiteral("m"), change, {QStringLiteral("displayName")}));
        QVERIFY(!r.ok());
        QCOMPARE(receipts.count("PATCH", path), 1);
        // The next PATCH, on the same kept-alive connection pool, goes through once.
        FD_VERIFY_OK(await(sb.api().models().update(QStringLiteral("m"), change,
                                                    {QStringLiteral("displayName")})));
        QCOMPARE(receipts.count("PATCH", path), 2);
        auto got = await(sb.api().models().get(QStringLiteral("m")));
        FD_VERIFY_OK(got);
        QCOMPARE(got.value().displayName, QStringLiteral("after"));
    }

    void createWithoutFaults_sendsItsBody()
    {
        // The send-once body must carry the whole JSON (length, content) on a plain send.
        Receipts receipts;
        testing::SandboxFixture sb(observed(&receipts));
        for (int i = 0; i < 20; ++i) {
            const QString id = QStringLiteral("d%1").arg(i);
            Dataset d;
            d.displayName = QStringLiteral("dataset %1 ").arg(i) + QString(i * 2, QLatin1Char('x'));
            auto r = await(sb.api().datasets().create(id, d));
            FD_VERIFY_OK(r);
            QCOMPARE(r.value().displayName, d.displayName);
        }
        QCOMPARE(receipts.count("POST", QStringLiteral("/v1/accounts/local/datasets")), 20);
    }

    void idempotentGetWithDroppedConnection_stillSucceeds()
    {
        // GETs keep their retries (Qt's own and RetryTransport's).
        Receipts receipts;
        testing::SandboxFixture sb(observed(&receipts));
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("g"), peftModel("g"))));
        const QString path = kModels + QStringLiteral("/g");
        sb.addFault(dropFault("GET", QStringLiteral("^%1$").arg(path), 2));
        FD_VERIFY_OK(await(sb.api().models().get(QStringLiteral("g"))));
        QVERIFY(receipts.count("GET", path) >= 3);
    }
};

QTEST_GUILESS_MAIN(tst_SendOnce)
#include "tst_sendonce.moc"
