// The dataset wizard handing its dataset over to the fine-tuning wizard (issue 15), driven like
// a person against the sandbox: Next through the dataset wizard, the dataset ID typed, Upload
// clicked; the dataset READY on the sandbox; "Fine-tune with this dataset" clicked; the knobs
// typed; Create. The job read back from the sandbox over its REST API is an SFT job on that
// dataset with the wizard's values, and the user's source file is byte-identical afterwards.

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
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 0; i < 5; ++i)
                f.write(QStringLiteral(R"({"messages":[{"role":"user","content":"Q%1"},)"
                                       R"({"role":"assistant","content":"A%1"}]})"
                                       "\n")
                            .arg(i)
                            .toUtf8());
        }
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
        // The path typed into the File field, as a person without the file dialog would.
        QWidget *fileField = fieldLabelled(datasetWizard->sourcePage(), QStringLiteral("&File:"));
        QVERIFY(fileField);
        typeInto(fileField, source);
        QVERIFY(next(*datasetWizard)); // Format
        QVERIFY(next(*datasetWizard)); // Validation
        QTRY_VERIFY_WITH_TIMEOUT(datasetWizard->validationPage()->isComplete(), 10000);
        QVERIFY(next(*datasetWizard)); // Tokens (not counted here)
        QVERIFY(next(*datasetWizard)); // Fix & split (nothing written)
        QVERIFY(next(*datasetWizard)); // Upload
        QCOMPARE(datasetWizard->currentId(), int(ui::DatasetWizard::UploadId));
        auto *uploadPage = datasetWizard->uploadPage();
        auto *fineTune =
            datasetWizard->findChild<QPushButton *>(QStringLiteral("fineTuneWithDataset"));
        QVERIFY(fineTune);
        QVERIFY(!fineTune->isEnabled()); // nothing uploaded yet

        // The dataset ID typed into its field, Upload clicked.
        QWidget *idField = fieldLabelled(uploadPage, QStringLiteral("Dataset &ID:"));
        QVERIFY(idField);
        typeInto(idField, QStringLiteral("handed-over"));
        QPushButton *upload = buttonLabelled(uploadPage, QStringLiteral("&Upload"));
        QVERIFY(upload);
        QTRY_VERIFY(upload->isEnabled());
        QVERIFY(testing::click(upload));
        QTRY_VERIFY_WITH_TIMEOUT(uploadPage->isComplete(), 20000);

        // READY on the sandbox itself, not only in the wizard.
        const QString datasetName = testing::datasetNameOf(sb, QStringLiteral("handed-over"));
        const auto stored = testing::await(sb.api().datasets().get(datasetName));
        FD_VERIFY_OK(stored);
        QCOMPARE(stored.value().state, client::DatasetState::Ready);
        QCOMPARE(stored.value().exampleCount, 5);

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
};

QTEST_MAIN(TestFineTuneWizardChain)
#include "tst_finetunewizardchain.moc"
