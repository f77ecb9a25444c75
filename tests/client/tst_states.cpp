// client/states: how states read (the badge colours of every page) and resource IDs.

#include <client/common.h>
#include <client/filters.h>
#include <client/resourcenames.h>
#include <client/states.h>

#include <QTest>

using client::StateTone;

class tst_States : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stateTone_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<StateTone>("tone");
        QTest::newRow("ready") << QStringLiteral("READY") << StateTone::Good;
        QTest::newRow("deployed lower case") << QStringLiteral("deployed") << StateTone::Good;
        QTest::newRow("job completed") << QStringLiteral("JOB_STATE_COMPLETED") << StateTone::Good;
        QTest::newRow("job failed") << QStringLiteral("JOB_STATE_FAILED") << StateTone::Bad;
        QTest::newRow("cancelled") << QStringLiteral("CANCELLED") << StateTone::Bad;
        QTest::newRow("creating") << QStringLiteral("CREATING") << StateTone::Busy;
        QTest::newRow("job running") << QStringLiteral("JOB_STATE_RUNNING") << StateTone::Busy;
        QTest::newRow("uploading") << QStringLiteral("UPLOADING") << StateTone::Busy;
        QTest::newRow("undeploying") << QStringLiteral("UNDEPLOYING") << StateTone::Gone;
        QTest::newRow("deleted") << QStringLiteral("DELETED") << StateTone::Gone;
        QTest::newRow("empty") << QString() << StateTone::Neutral;
        QTest::newRow("unspecified") << QStringLiteral("STATE_UNSPECIFIED") << StateTone::Neutral;
    }
    void stateTone()
    {
        QFETCH(QString, state);
        QFETCH(StateTone, tone);
        QCOMPARE(client::stateTone(state), tone);
    }

    void resourceId()
    {
        QCOMPARE(client::resourceId(QStringLiteral("accounts/a/models/m-1")),
                 QStringLiteral("m-1"));
        QCOMPARE(client::resourceId(QStringLiteral("accounts/a/deployments/d/deployedModels/x")),
                 QStringLiteral("x"));
        QCOMPARE(client::resourceId(QStringLiteral("plain-id")), QStringLiteral("plain-id"));
        // A display name is shown beside the ID only where it says more.
        const QString model = QStringLiteral("accounts/a/models/r98h6fo1");
        QVERIFY(!client::displayNameAddsToId(QString(), model));
        QVERIFY(!client::displayNameAddsToId(QStringLiteral("r98h6fo1"), model));
        QVERIFY(client::displayNameAddsToId(QStringLiteral("Support bot"), model));
        QCOMPARE(client::accountOf(QStringLiteral("accounts/acme/models/m")),
                 QStringLiteral("acme"));
        QCOMPARE(client::accountOf(QStringLiteral("m")), QString());
        QCOMPARE(client::datasetName(QStringLiteral("acme"), QStringLiteral("d")),
                 QStringLiteral("accounts/acme/datasets/d"));
        QCOMPARE(client::catalogModelName(QStringLiteral("llama")),
                 QStringLiteral("accounts/fireworks/models/llama"));
        QVERIFY(client::isResourceName(QStringLiteral("accounts/acme/models/m")));
        QVERIFY(!client::isResourceName(QStringLiteral("Qwen/Qwen2.5-7B")));
        QVERIFY(!client::isResourceName(QStringLiteral("accounts/acme/models/")));
        QVERIFY(!client::isResourceName(QStringLiteral("accounts//models/m")));
        QVERIFY(!client::isResourceName(QStringLiteral("m")));
        QVERIFY(client::isSingleSegment(QStringLiteral("acme")));
        QVERIFY(!client::isSingleSegment(QStringLiteral("accounts/acme")));
        QCOMPARE(client::deploymentShapeOf(
                     QStringLiteral("accounts/fireworks/deploymentShapes/s/versions/v")),
                 QStringLiteral("accounts/fireworks/deploymentShapes/s"));
        QCOMPARE(client::deploymentShapeOf(QStringLiteral("accounts/a/deploymentShapes/s")),
                 QStringLiteral("accounts/a/deploymentShapes/s"));
    }

    void resourceIdFrom_makesAValidId()
    {
        QCOMPARE(client::resourceIdFrom(QStringLiteral("Support Chats (v2).jsonl")),
                 QStringLiteral("support-chats-v2-jsonl"));
        QCOMPARE(client::resourceIdFrom(QStringLiteral("2024_évals__final-")),
                 QStringLiteral("vals-final"));
        QCOMPARE(client::resourceIdFrom(QStringLiteral("123")), QString());
        const QString longId =
            client::resourceIdFrom(QString(80, QLatin1Char('a')) + QStringLiteral("-b"));
        QCOMPARE(longId.size(), 63);
        for (const QString &text : {QStringLiteral("My evaluator"), QStringLiteral("x--y--"),
                                    QString(70, QLatin1Char('z')) + QStringLiteral("-----")})
            QVERIFY2(client::isValidResourceId(client::resourceIdFrom(text)), qPrintable(text));
    }

    void stateLabel_dropsOnlyTheJobPrefix()
    {
        QCOMPARE(client::stateLabel(QStringLiteral("JOB_STATE_RUNNING")),
                 QStringLiteral("RUNNING"));
        QCOMPARE(client::stateLabel(QStringLiteral("UNDEPLOYING")), QStringLiteral("UNDEPLOYING"));
        QVERIFY(client::isDeletedState(QStringLiteral("DELETED")));
        QVERIFY(client::isDeletedState(QStringLiteral("JOB_STATE_DELETED")));
        QVERIFY(!client::isDeletedState(QStringLiteral("DELETING")));
        QVERIFY(!client::isDeletedState(QStringLiteral("READY")));
    }

    void filters_quoteTheirValues()
    {
        QCOMPARE(
            client::deployedModelsOnDeploymentFilter(QStringLiteral("accounts/a/deployments/d")),
            QStringLiteral("deployment=\"accounts/a/deployments/d\""));
        QCOMPARE(
            client::filterEquals(QStringLiteral("display_name"), QStringLiteral("a \"b\" \\c")),
            QStringLiteral("display_name=\"a \\\"b\\\" \\\\c\""));
    }

    void looksLikeServerFilter_onlyComparisons()
    {
        for (const char *expression : {"state=READY", "create_time>\"2026-01-01\"",
                                       "display_name:\"chat\"", "replica_count<2"})
            QVERIFY2(client::looksLikeServerFilter(QString::fromLatin1(expression)), expression);
        for (const char *words : {"", "qwen", "llama 3 lora", "accounts/a/models/m"})
            QVERIFY2(!client::looksLikeServerFilter(QString::fromLatin1(words)), words);
    }
};

QTEST_GUILESS_MAIN(tst_States)
#include "tst_states.moc"
