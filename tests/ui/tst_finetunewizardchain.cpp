// The dataset wizard handing its dataset over to the fine-tuning wizard (issue 15), driven like
// a person against the sandbox: Next through the dataset wizard, the dataset ID typed, Upload
// clicked; the dataset READY on the sandbox; "Fine-tune with this dataset" clicked; the knobs
// typed; Create. The job read back from the sandbox over its REST API is an SFT job on that
// dataset with the wizard's values, and the user's source file is byte-identical afterwards.
// The other way round: the fine-tuning wizard, on a profile without a READY dataset, opens the
// dataset wizard over itself; "Use this dataset" there gives the dataset back (chosen, its
// token count kept) and what was typed on the first page is still there.

#include <ui/datasetspage.h>
#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>
#include <ui/finetunewizard.h>
#include <ui/finetunewizardpages.h>
#include <ui/jobview.h>
#include <ui/mainwindow.h>
#include <ui/trainingjobspage.h>

#include <client/apiclient.h>
#include <client/trainingjobs.h>

#include "../common/wizardtesthelpers.h"
#include "../common/sandboxfixture.h"
#include "../common/trainingseeds.h"
#include "../common/uitesthelpers.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

namespace {

using testing::choose;
using testing::finish;
using testing::next;
using testing::typeInto;

//! The editor a label with this text is the buddy of (what Alt+letter would focus).
QWidget *fieldLabelled(QWidget *page, const QString &labelText)
{
    for (auto *label : page->findChildren<QLabel *>())
        if (label->text() == labelText)
            return label->buddy();
    return nullptr;
}

QPushButton *buttonLabelled(QWidget *page, const QString &text)
{
    for (auto *b : page->findChildren<QPushButton *>())
        if (b->text() == text)
            return b;
    return nullptr;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

//! Five chats, Q0/A0 … Q4/A4, in `path`; false when it cannot be written.
bool writeFiveChats(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    for (int i = 0; i < 5; ++i)
        f.write(QStringLiteral(R"({"messages":[{"role":"user","content":"Q%1"},)"
                               R"({"role":"assistant","content":"A%1"}]})"
                               "\n")
                    .arg(i)
                    .toUtf8());
    return true;
}

//! Through the dataset wizard as a person: the path typed into File, Next to the upload step,
//! the dataset ID typed, Upload clicked, until READY. Empty when done, else what failed.
QString uploadThroughWizard(ui::DatasetWizard &wizard, const QString &source, const QString &id)
{
    QWidget *fileField = fieldLabelled(wizard.sourcePage(), QStringLiteral("&File:"));
    if (!fileField)
        return QStringLiteral("no File field");
    typeInto(fileField, source);
    if (!next(wizard) || !next(wizard)) // Format, Validation
        return QStringLiteral("Next to Validation failed");
    if (!QTest::qWaitFor([&] { return wizard.validationPage()->isComplete(); }, 10000))
        return QStringLiteral("the validation did not finish");
    // Tokens (not counted here), Fix & split (nothing written), Upload.
    if (!next(wizard) || !next(wizard) || !next(wizard) ||
        wizard.currentId() != int(ui::DatasetWizard::UploadId))
        return QStringLiteral("Next to Upload failed");
    auto *uploadPage = wizard.uploadPage();
    QWidget *idField = fieldLabelled(uploadPage, QStringLiteral("Dataset &ID:"));
    QPushButton *upload = buttonLabelled(uploadPage, QStringLiteral("&Upload"));
    if (!idField || !upload)
        return QStringLiteral("no Dataset ID field or Upload button");
    typeInto(idField, id);
    if (!QTest::qWaitFor([&] { return upload->isEnabled(); }, 5000) || !testing::click(upload))
        return QStringLiteral("Upload cannot be clicked");
    if (!QTest::qWaitFor([&] { return uploadPage->isComplete(); }, 20000))
        return QStringLiteral("the upload did not finish");
    return {};
}

} // namespace

class TestFineTuneWizardChain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theDatasetWizardHandsItsDatasetOver()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("handed.jsonl"));
        QVERIFY(writeFiveChats(source));
        const QByteArray before = readAll(source);
        // The main window with the page the dataset wizard is opened from and the Fine-tuning
        // page the created job shows up on.
        ui::MainWindow window;
        auto *parentPage = new ui::DatasetsPage(&sb.api());
        auto &parent = *parentPage;
        auto *jobs = new ui::TrainingJobsPage(&sb.api());
        window.addPage(parentPage);
        window.addPage(jobs);
        window.show();
        QVERIFY(window.showPage(parentPage->pageId()));
        auto *datasetWizard = new ui::DatasetWizard(&sb.api(), &parent);
        datasetWizard->show();
        QVERIFY(QTest::qWaitForWindowExposed(datasetWizard));
        auto *fineTune =
            datasetWizard->findChild<QPushButton *>(QStringLiteral("fineTuneWithDataset"));
        QVERIFY(fineTune);
        QVERIFY(!fineTune->isEnabled()); // nothing uploaded yet
        const QString uploaded =
            uploadThroughWizard(*datasetWizard, source, QStringLiteral("handed-over"));
        QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));

        // READY on the sandbox itself, not only in the wizard.
        const QString datasetName = testing::datasetNameOf(sb, QStringLiteral("handed-over"));
        const auto stored = testing::await(sb.api().datasets().get(datasetName));
        FD_VERIFY_OK(stored);
        QCOMPARE(stored.value().state, client::DatasetState::Ready);
        QCOMPARE(stored.value().exampleCount, 5);

        QCOMPARE(fineTune->text(), QStringLiteral("Fine-&tune with this dataset…"));
        QVERIFY(testing::click(fineTune));
        auto *wizard = testing::waitForDialog<ui::FineTuneWizard>(&parent);
        QVERIFY(wizard);
        QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), 10000);
        QVERIFY(choose(wizard->methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(*wizard));
        QCOMPARE(wizard->dataPage()->datasetCombo()->currentData().toString(), datasetName);
        QVERIFY(wizard->dataPage()->datasetInfo()->text().contains(QStringLiteral("5 examples")));
        QVERIFY(next(*wizard)); // Hyperparameters
        auto *params = wizard->parametersPage();
        typeInto(params->knobEditor(QStringLiteral("epochs")), QStringLiteral("3"));
        typeInto(params->knobEditor(QStringLiteral("learningRate")), QStringLiteral("0.0003"));
        typeInto(params->knobEditor(QStringLiteral("loraRank")), QStringLiteral("32"));
        QVERIFY(next(*wizard)); // Summary
        QVERIFY(finish(*wizard));
        // Created: the Fine-tuning page comes forward with the job open in the job view.
        QTRY_COMPARE_WITH_TIMEOUT(window.currentPage(), static_cast<ui::Page *>(jobs), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(jobs->isJobViewOpen(), 10000);
        const QString jobName = jobs->jobView()->job().name;
        QVERIFY(!jobName.isEmpty());

        // The job as the sandbox holds it, read back over REST: SFT, on that dataset, with the
        // values typed into the wizard.
        const auto job = testing::await(sb.api().sftJobs().get(jobName));
        FD_VERIFY_OK(job);
        QVERIFY2(jobName.contains(QStringLiteral("/supervisedFineTuningJobs/")),
                 qPrintable(jobName));
        QCOMPARE(job.value().dataset, datasetName);
        QCOMPARE(job.value().baseModel, testing::baseModelForTraining());
        QCOMPARE(job.value().epochs, std::optional<int>(3));
        QCOMPARE(job.value().loraRank, std::optional<int>(32));
        QVERIFY(job.value().learningRate && qFuzzyCompare(*job.value().learningRate, 0.0003));

        // The user's file was never written.
        QCOMPARE(readAll(source), before);
    }

    void theFineTuneWizardMakesItsDatasetOnTheWay()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("made-on-the-way.jsonl"));
        QVERIFY(writeFiveChats(source));
        ui::MainWindow window;
        auto *jobs = new ui::TrainingJobsPage(&sb.api());
        window.addPage(jobs);
        window.show();
        QVERIFY(window.showPage(jobs->pageId()));
        jobs->newItem(); // New fine-tuning job (Ctrl+N)
        auto *wizard = testing::waitForDialog<ui::FineTuneWizard>(jobs);
        QVERIFY(wizard);
        QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), 10000);
        QVERIFY(choose(wizard->methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QWidget *displayName =
            fieldLabelled(wizard->methodPage(), QStringLiteral("&Display name:"));
        QVERIFY(displayName);
        typeInto(displayName, QStringLiteral("Made on the way"));
        QVERIFY(next(*wizard));

        // No READY dataset: the page says how to make one here, and Next waits.
        auto *data = wizard->dataPage();
        QVERIFY2(data->datasetInfo()->text().contains(QStringLiteral("New with the dataset wizard")),
                 qPrintable(data->datasetInfo()->text()));
        QVERIFY(!data->isComplete());
        auto *newDataset = data->findChild<QPushButton *>(QStringLiteral("newDatasetWithWizard"));
        QVERIFY(newDataset);
        QVERIFY(testing::click(newDataset));
        QPointer<ui::DatasetWizard> datasetWizard =
            testing::waitForDialog<ui::DatasetWizard>(wizard);
        QVERIFY(datasetWizard);
        QVERIFY(QTest::qWaitForWindowExposed(datasetWizard));
        // Its Tokens step counts with the base model this job trains (it offered "A local
        // model folder" first).
        QTRY_COMPARE(datasetWizard->tokensPage()->baseModelCombo()->currentData().toString(),
                     testing::baseModelForTraining());
        const QString uploaded =
            uploadThroughWizard(*datasetWizard, source, QStringLiteral("made-on-the-way"));
        QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));

        // Handed back, not to a second fine-tuning wizard: this one has it chosen.
        auto *handBack =
            datasetWizard->findChild<QPushButton *>(QStringLiteral("fineTuneWithDataset"));
        QVERIFY(handBack);
        QCOMPARE(handBack->text(), QStringLiteral("Use this dataset for the fine-tuning &job"));
        QTRY_VERIFY(handBack->isEnabled());
        QVERIFY(testing::click(handBack));
        QTRY_VERIFY_WITH_TIMEOUT(!datasetWizard || !datasetWizard->isVisible(), 5000);
        QCOMPARE(wizard->findChildren<ui::FineTuneWizard *>().size(), 0);
        QCOMPARE(wizard->currentId(), int(ui::FineTuneWizard::DataId));
        const QString datasetName = testing::datasetNameOf(sb, QStringLiteral("made-on-the-way"));
        QCOMPARE(data->datasetCombo()->currentData().toString(), datasetName);
        QVERIFY2(data->datasetInfo()->text().startsWith(QStringLiteral("5 examples")),
                 qPrintable(data->datasetInfo()->text()));
        QVERIFY(data->isComplete());

        // What was typed on the first page is still there; the job is made on the new dataset.
        QVERIFY(testing::back(*wizard));
        QCOMPARE(qobject_cast<QLineEdit *>(displayName)->text(), QStringLiteral("Made on the way"));
        QVERIFY(next(*wizard)); // Data
        QVERIFY(next(*wizard)); // Hyperparameters
        QVERIFY(next(*wizard)); // Summary
        QVERIFY(finish(*wizard));
        QTRY_VERIFY_WITH_TIMEOUT(jobs->isJobViewOpen(), 10000);
        const auto job = testing::await(sb.api().sftJobs().get(jobs->jobView()->job().name));
        FD_VERIFY_OK(job);
        QCOMPARE(job.value().dataset, datasetName);
        QCOMPARE(job.value().displayName, QStringLiteral("Made on the way"));
    }
};

QTEST_MAIN(TestFineTuneWizardChain)
#include "tst_finetunewizardchain.moc"
