// The Local sandbox's RFT rollouts and trainer log read as the platform's would: a rollout holds
// the prompt and the model's answer (not the dataset's reference answer), its text counts epochs
// and samples as the app's Rollouts tab does, and the log says that its epochs count from 0.

#include "traininghttp.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace testing;

namespace {

//! RFT rows that carry a reference answer as their closing assistant turn.
const QByteArray kRowsWithReference =
    R"({"messages":[{"role":"system","content":"Answer with a number."},{"role":"user","content":"2+3?"},{"role":"assistant","content":"REFERENCE five"}],"ground_truth":"5"}
{"messages":[{"role":"user","content":"1+1?"},{"role":"assistant","content":"REFERENCE two"}],"ground_truth":"2"}
{"messages":[{"role":"user","content":"3*3?"},{"role":"assistant","content":"REFERENCE nine"}],"ground_truth":"9"}
)";

} // namespace

class tst_SandboxRollouts : public TrainingHttp
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { m_server.reset(); }

    void rollouts_holdThePromptAndTheModelsAnswer_countedAsTheAppShowsThem()
    {
        startServer(400);
        QVERIFY(dataset(QStringLiteral("refs"), kRowsWithReference).isEmpty());
        QVERIFY(evaluator(QStringLiteral("real"),
                          {{QStringLiteral("description"), QStringLiteral("checks the sum")}})
                    .isEmpty());
        const QJsonObject body{
            {QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/refs")},
            {QStringLiteral("evaluator"), QStringLiteral("accounts/local/evaluators/real")},
            {QStringLiteral("trainingConfig"),
             QJsonObject{{QStringLiteral("baseModel"), QLatin1String(kBase)},
                         {QStringLiteral("epochs"), 1}}},
            {QStringLiteral("inferenceParameters"),
             QJsonObject{{QStringLiteral("responseCandidatesCount"), 2}}}};
        const QString path =
            job(QStringLiteral("reinforcementFineTuningJobs"), QStringLiteral("refs"), body);
        QVERIFY(!path.isEmpty());
        const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_COMPLETED"),
                                                QStringLiteral("JOB_STATE_EARLY_STOPPED"),
                                                QStringLiteral("JOB_STATE_FAILED")});
        QCOMPARE(done.value(QStringLiteral("state")).toString(),
                 QStringLiteral("JOB_STATE_COMPLETED"));
        const QJsonArray rollouts = call("GET", path + QStringLiteral("/rollouts?pageSize=200"))
                                        .json()
                                        .value(QStringLiteral("rollouts"))
                                        .toArray();
        QCOMPARE(rollouts.size(), 3 * 2);
        for (const QJsonValue &value : rollouts) {
            const QJsonObject r = value.toObject();
            const QJsonArray messages = r.value(QStringLiteral("messages")).toArray();
            QVERIFY(!messages.isEmpty());
            // The prompt first, as the row has it, without its reference answer.
            const QString rowId = r.value(QStringLiteral("rowId")).toString();
            const QString firstRole =
                messages.first().toObject().value(QStringLiteral("role")).toString();
            QCOMPARE(firstRole, rowId == QLatin1String("row-0") ? QStringLiteral("system")
                                                                : QStringLiteral("user"));
            for (const QJsonValue &m : messages)
                QVERIFY2(!m.toObject()
                              .value(QStringLiteral("content"))
                              .toString()
                              .contains(QLatin1String("REFERENCE")),
                         qPrintable(rowId));
            // The model's answer last; epochs and samples counted from 1, as the Rollouts tab
            // shows them, while the record's epoch field is the platform's 0-based one.
            const QJsonObject last = messages.last().toObject();
            QCOMPARE(last.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
            QCOMPARE(r.value(QStringLiteral("epoch")).toInt(), 0);
            const QString answer = last.value(QStringLiteral("content")).toString();
            QVERIFY2(answer.contains(QLatin1String("(simulated rollout, epoch 1, sample ")),
                     qPrintable(answer));
            QVERIFY2(!answer.contains(QLatin1String("sample 0")), qPrintable(answer));
        }
        // The trainer log keeps the platform's 0-based epochs and says so.
        const QByteArray log = logOf(done);
        QVERIFY(log.contains("epoch 0 step "));
        QVERIFY(log.contains("epochs are numbered from 0 in this log"));
    }
};

QTEST_GUILESS_MAIN(tst_SandboxRollouts)
#include "tst_sandboxrollouts.moc"
