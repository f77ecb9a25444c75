#pragma once

// The job curve tests' shared set-up (ui.jobcurvestab, ui.compareruns): a dataset and simulated
// jobs on the sandbox, and the job's Curves tab followed until its run ends.

#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"

#include <client/datasets.h>
#include <client/evaluators.h>
#include <client/jobstate.h>
#include <client/loggingtransport.h>
#include <client/trainingjobs.h>
#include <models/jobmetricsfeed.h>
#include <models/panelexport.h>
#include <models/runfiles.h>
#include <models/runtablemodel.h>
#include <models/runwarninglistmodel.h>
#include <ui/comparerunsview.h>
#include <ui/jobcurvestab.h>
#include <ui/runcurvesview.h>
#include <widgets/curvechart.h>
#include <widgets/elidingheaderview.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QScrollArea>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

namespace testing {

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool makeDataset(SandboxFixture &sb, const QString &id)
{
    client::Dataset d;
    d.userUploaded = true;
    if (!await(sb.api().datasets().create(id, d)).ok())
        return false;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rows.jsonl"));
    QByteArray rows;
    for (int i = 0; i < 12; ++i)
        rows += QStringLiteral(R"({"messages":[{"role":"user","content":"Add %1 and 2"},)"
                               R"({"role":"assistant","content":"%2"}]})"
                               "\n")
                    .arg(i)
                    .arg(i + 2)
                    .toUtf8();
    return models::writeFileAtomically(path, rows) &&
           await(sb.api().datasets().upload(id, path)).ok();
}

inline client::Result<client::TrainingJob> startSft(SandboxFixture &sb, const QString &id,
                                                    double learningRate, int epochs = 1)
{
    client::TrainingJob job;
    job.displayName = id;
    job.dataset = QStringLiteral("accounts/%1/datasets/curves-data").arg(sb.api().accountId());
    job.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
    job.epochs = epochs;
    job.learningRate = learningRate;
    return await(sb.api().sftJobs().create(id, job));
}

inline bool makeActiveEvaluator(SandboxFixture &sb, const QString &id, const QString &description)
{
    client::Evaluator ev;
    ev.entryPoint = QStringLiteral("main.py::evaluate");
    ev.description = description;
    if (!await(sb.api().evaluators().create(id, ev)).ok())
        return false;
    return QTest::qWaitFor(
        [&] {
            const auto got = await(sb.api().evaluators().get(id));
            return got.ok() && got.value().state == QLatin1String("ACTIVE");
        },
        20000);
}

inline client::Result<client::TrainingJob> startRft(SandboxFixture &sb, const QString &id,
                                                    const QString &evaluator, int epochs)
{
    client::TrainingJob job;
    job.displayName = id;
    job.dataset = QStringLiteral("accounts/%1/datasets/curves-data").arg(sb.api().accountId());
    job.evaluator =
        QStringLiteral("accounts/%1/evaluators/%2").arg(sb.api().accountId(), evaluator);
    job.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
    job.epochs = epochs;
    job.inferenceParameters.responseCandidatesCount = 4;
    job.inferenceParameters.temperature = 0.8;
    return await(sb.api().rftJobs().create(id, job));
}

inline int pointsOf(const ui::JobCurvesTab &tab, const QString &series)
{
    const models::TrainingRun &run = tab.feed()->run();
    const int i = run.indexOf(series);
    return i < 0 ? 0 : int(run.series[i].points.size());
}

inline int lossPoints(const ui::JobCurvesTab &tab)
{
    const models::TrainingRun &run = tab.feed()->run();
    const int i = run.indexOf(QStringLiteral("train/loss"));
    return i < 0 ? 0 : int(run.series[i].points.size());
}

//! Polls the job like the job view does and hands each fresh copy to the tab, until `until`
//! holds or the time is up. Returns the last copy.
inline client::TrainingJob pollInto(SandboxFixture &sb, ui::JobCurvesTab &tab, const QString &id,
                                    const std::function<bool(const client::TrainingJob &)> &until,
                                    int timeoutMs = 60000,
                                    client::TrainingJobKind kind = client::TrainingJobKind::Sft)
{
    client::TrainingJob last;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        const auto job = await(kind == client::TrainingJobKind::Rft ? sb.api().rftJobs().get(id)
                                                                    : sb.api().sftJobs().get(id));
        if (job.ok()) {
            last = job.value();
            tab.setJob(last);
            if (until(last))
                break;
        }
        QTest::qWait(250);
    }
    // Let the last metrics read land.
    (void)QTest::qWaitFor([&] { return !tab.feed()->isFetching(); }, 5000);
    return last;
}

} // namespace testing
