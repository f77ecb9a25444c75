// The status bar's last error names the request in words: the platform's paths read as what
// the app was doing ("Listing deployments", "Cancelling RFT job r1").

#include <client/requestdescription.h>

#include <QTest>

class tst_RequestDescription : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void describes_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("words");
        const QString a = QStringLiteral("/v1/accounts/acme");
        QTest::newRow("list") << QByteArray("GET") << a + "/deployments"
                              << QStringLiteral("Listing deployments");
        QTest::newRow("create") << QByteArray("POST") << a + "/supervisedFineTuningJobs"
                                << QStringLiteral("Creating a fine-tuning job");
        QTest::newRow("create, an")
            << QByteArray("POST") << a + "/evaluatorsV2" << QStringLiteral("Creating an evaluator");
        QTest::newRow("read") << QByteArray("GET") << a + "/models/m1"
                              << QStringLiteral("Reading model m1");
        QTest::newRow("update") << QByteArray("PATCH") << a + "/deployments/d1"
                                << QStringLiteral("Updating deployment d1");
        QTest::newRow("delete") << QByteArray("DELETE") << a + "/datasets/chat-v2"
                                << QStringLiteral("Deleting dataset chat-v2");
        QTest::newRow("verb") << QByteArray("POST") << a + "/reinforcementFineTuningJobs/r1:cancel"
                              << QStringLiteral("Cancelling RFT job r1");
        QTest::newRow("unknown verb") << QByteArray("POST") << a + "/models/m1:frobnicate"
                                      << QStringLiteral("A request about model m1 (frobnicate)");
        QTest::newRow("nested") << QByteArray("GET") << a + "/users/u1/apiKeys"
                                << QStringLiteral("Listing API keys");
        QTest::newRow("nested delete") << QByteArray("POST") << a + "/users/u1/apiKeys:delete"
                                       << QStringLiteral("Deleting an API key");
        QTest::newRow("account") << QByteArray("GET") << a << QStringLiteral("Reading the account");
        QTest::newRow("unknown collection")
            << QByteArray("GET") << a + "/widgets" << QStringLiteral("Listing widgets");
        QTest::newRow("chat") << QByteArray("POST")
                              << QStringLiteral("/inference/v1/chat/completions")
                              << QStringLiteral("A chat reply");
        QTest::newRow("storage") << QByteArray("PUT") << QStringLiteral("/bucket/object.jsonl")
                                 << QString();
        QTest::newRow("empty segment") << QByteArray("GET") << a + "//models" << QString();
        QTest::newRow("put on a resource") << QByteArray("PUT") << a + "/models/m1" << QString();
    }

    void describes()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, words);
        QCOMPARE(
            client::describeRequest(method, QUrl(QStringLiteral("http://127.0.0.1:4000") + path)),
            words);
    }
};

QTEST_GUILESS_MAIN(tst_RequestDescription)
#include "tst_requestdescription.moc"
