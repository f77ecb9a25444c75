// The fine-tuning wizard's RFT parts against the sandbox, driven like a person: an uploaded
// evaluator whose build fails (BUILD_FAILED with the platform's reason on the summary), then
// another folder picked and the same evaluator built again and the job created; the MCP server
// and the inference replica count checked on their pages and sent with the job, and in the
// copied firectl / curl texts.

#include <ui/finetunewizard.h>
#include <ui/finetunewizardpages.h>

#include <client/apiclient.h>
#include <client/resourcenames.h>
#include <client/trainingjobrules.h>

#include "../common/sandboxfixture.h"
#include "../common/trainingseeds.h"
#include "../common/uitesthelpers.h"
#include "../common/wizardtesthelpers.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTest>

namespace {

using testing::back;
using testing::choose;
using testing::countEvaluatorCreates;
using testing::finish;
using testing::next;
using testing::typeInto;

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

//! An evaluator folder: main.py with `body` after its `def evaluate(...)` line.
void makeFolder(const QString &dir, const QByteArray &body)
{
    writeFile(dir + QStringLiteral("/main.py"),
              "def evaluate(messages, ground_truth=None, **kw):\n" + body);
    writeFile(dir + QStringLiteral("/requirements.txt"), "eval-protocol\n");
}

} // namespace

class TestFineTuneWizardRft : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFailedEvaluatorBuildSaysWhyAndAnotherFolderIsBuilt()
    {
        sandbox::SandboxOptions options;
        options.timeScale = 200;
        const auto evaluatorCreates = countEvaluatorCreates(options);
        testing::SandboxFixture sb(options);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("math")));
        QTemporaryDir broken, fixed;
        // The preview finds the function; the file does not parse (a bracket never closed).
        makeFolder(broken.path(), "    return {\"score\": float(ground_truth == 'x')\n");
        makeFolder(fixed.path(), "    return {\"score\": float(ground_truth == 'x')}\n");

        ui::FineTuneWizard wizard(&sb.api());
        QList<client::TrainingJob> created;
        QVERIFY(testing::showLoaded(wizard, &created));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        auto *data = wizard.dataPage();
        QVERIFY(choose(data->datasetCombo(), testing::datasetNameOf(sb, QStringLiteral("math"))));
        data->setEvaluatorFolder(broken.path(), QStringLiteral("math-eval"));
        QVERIFY(data->previewStatus()->text().contains(QStringLiteral("main.py, line 1")));
        const QString preview = data->previewStatus()->text(); // main.py, requirements.txt
        QVERIFY2(preview.endsWith(QStringLiteral("(2 files will be uploaded)")),
                 qPrintable(preview));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::SummaryId));
        QVERIFY(finish(wizard));

        // The platform's reason, in its words, and what to do next.
        auto *status = wizard.summaryPage()->statusLabel();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("build failed")), 30000);
        QVERIFY2(status->text().contains(QStringLiteral("SyntaxError: '{' was never closed "
                                                        "(main.py, line 2)")),
                 qPrintable(status->text()));
        QVERIFY(status->text().contains(QStringLiteral("pick another folder")));
        QVERIFY(created.isEmpty());
        const QString evaluator =
            client::evaluatorName(sb.api().accountId(), QStringLiteral("math-eval"));
        auto ev = testing::await(sb.api().evaluators().get(evaluator));
        FD_VERIFY_OK(ev);
        QVERIFY(client::isEvaluatorBuildFailed(ev.value()));

        // Back to Data, another folder, Create again: the same evaluator is built from it.
        QVERIFY(wizard.button(QWizard::BackButton)->isEnabled());
        QVERIFY(back(wizard));
        QVERIFY(back(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::DataId));
        data->setEvaluatorFolder(fixed.path(), QStringLiteral("math-eval"));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QVERIFY(status->text().isEmpty());
        QVERIFY(finish(wizard));
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 30000);
        QCOMPARE(evaluatorCreates->load(), 1);
        QCOMPARE(created.first().evaluator, evaluator);
        ev = testing::await(sb.api().evaluators().get(evaluator));
        FD_VERIFY_OK(ev);
        QVERIFY(client::isEvaluatorActive(ev.value()));
    }

    void withNoEvaluatorYetTheFolderIsOffered()
    {
        // A new profile has no evaluator: the picker said nothing and Next stayed grey with no
        // reason; it now says what to do and the code folder is chosen.
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("math")));
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        auto *data = wizard.dataPage();
        QCOMPARE(data->evaluatorCombo()->count(), 0);
        // No folder yet: the code box says what to pick rather than staying blank.
        QVERIFY2(
            data->previewView()->placeholderText().contains(QStringLiteral("requirements.txt")),
            qPrintable(data->previewView()->placeholderText()));
        QVERIFY2(data->evaluatorCombo()->placeholderText().contains(
                     QStringLiteral("upload a code folder")),
                 qPrintable(data->evaluatorCombo()->placeholderText()));
        QVERIFY(data->uploadFolderRadio()->isChecked());
        QVERIFY(!data->useEvaluatorRadio()->isEnabled());
        QTemporaryDir folder;
        makeFolder(folder.path(), "    return 1.0\n");
        data->setEvaluatorFolder(folder.path(), QStringLiteral("math-eval"));
        QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    }

    void aPickedEvaluatorIsSaidInALine_notWithAnEmptyPreview()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("math")));
        QVERIFY(testing::makeEvaluator(sb, QStringLiteral("math-eval")));
        const QString evaluator =
            client::evaluatorName(sb.api().accountId(), QStringLiteral("math-eval"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto e = testing::await(sb.api().evaluators().get(evaluator));
                return e.ok() && client::isEvaluatorActive(e.value());
            }(),
            10000);
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        auto *data = wizard.dataPage();
        QVERIFY(data->selectEvaluator(evaluator));
        QVERIFY(data->useEvaluatorRadio()->isChecked());
        QCOMPARE(data->previewStatus()->text(),
                 QStringLiteral("Calls main.py::evaluate in its uploaded code."));
        QVERIFY(!data->previewView()->isVisible());
        QTemporaryDir folder;
        makeFolder(folder.path(), "    return 1.0\n");
        data->setEvaluatorFolder(folder.path(), QStringLiteral("other-eval"));
        QVERIFY(data->previewView()->isVisible());
        QVERIFY(data->previewView()->toPlainText().startsWith(QStringLiteral("def evaluate(")));
        data->useEvaluatorRadio()->setChecked(true);
        QVERIFY(!data->previewView()->isVisible());
        QVERIFY(data->previewStatus()->text().contains(QStringLiteral("main.py::evaluate")));
    }

    void theHyperparameterGroupsShareOneLabelColumn()
    {
        // Each group sized its own label column: Training's fields started further right than
        // Rollouts' and Loss's, a ragged edge down the page.
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("math")));
        QTemporaryDir folder;
        makeFolder(folder.path(), "    return 1.0\n");
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        QVERIFY(choose(wizard.dataPage()->datasetCombo(),
                       testing::datasetNameOf(sb, QStringLiteral("math"))));
        wizard.dataPage()->setEvaluatorFolder(folder.path(), QStringLiteral("math-eval"));
        QVERIFY(next(wizard));
        auto *params = wizard.parametersPage();
        const auto left = [params](const char *field) {
            QWidget *editor = params->knobEditor(QString::fromLatin1(field));
            return editor ? editor->mapTo(params, QPoint(0, 0)).x() : -1;
        };
        const int training = left("gradientAccumulationSteps"); // the longest Training label
        QVERIFY(training > 0);
        QCOMPARE(left("temperature"), training);
        QCOMPARE(left("method"), training);
        QCOMPARE(left("chunkSize"), training);
    }

    void anUploadUnderATakenEvaluatorIdIsRefusedAtTheDataStep()
    {
        // Create answered "Not created: ALREADY_EXISTS: evaluators … already exists" after the
        // whole wizard; the Data step now says so beside the ID, keeping what was typed.
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("math")));
        QVERIFY(testing::makeEvaluator(sb, QStringLiteral("math-eval")));
        QTemporaryDir folder;
        makeFolder(folder.path(), "    return 1.0\n");
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        auto *data = wizard.dataPage();
        QVERIFY(choose(data->datasetCombo(), testing::datasetNameOf(sb, QStringLiteral("math"))));
        data->setEvaluatorFolder(folder.path(), QStringLiteral("math-eval"));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::DataId));
        const QString message = data->evaluatorIdMessage()->text();
        QVERIFY2(message.contains(QStringLiteral("ID math-eval already exists")) &&
                     message.contains(QStringLiteral("Use an evaluator")),
                 qPrintable(message));
        QCOMPARE(data->entryPointEdit()->text(), QStringLiteral("main.py::evaluate"));
        data->setEvaluatorFolder(folder.path(), QStringLiteral("math-eval-2"));
        QVERIFY(data->evaluatorIdMessage()->text().isEmpty());
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::ParametersId));
    }

    void cancelWhileTheEvaluatorIsMadeStopsItAndSaysSo()
    {
        // Cancel during Create closed the wizard under the running upload and build, without a
        // word about the evaluator left behind; now it stops them and says what stays.
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("math")));
        QTemporaryDir folder;
        makeFolder(folder.path(), "    return 1.0\n");
        ui::FineTuneWizard wizard(&sb.api());
        QList<client::TrainingJob> created;
        QVERIFY(testing::showLoaded(wizard, &created));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        QVERIFY(choose(wizard.dataPage()->datasetCombo(),
                       testing::datasetNameOf(sb, QStringLiteral("math"))));
        wizard.dataPage()->setEvaluatorFolder(folder.path(), QStringLiteral("math-eval"));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QVERIFY(finish(wizard)); // the evaluator is being created
        wizard.reject();
        QVERIFY(wizard.isVisible());
        auto *status = wizard.summaryPage()->statusLabel();
        QVERIFY2(status->text().contains(QStringLiteral("Cancelled.")), qPrintable(status->text()));
        QVERIFY(wizard.button(QWizard::BackButton)->isEnabled());
        QVERIFY(created.isEmpty());
        wizard.reject(); // nothing running: Cancel closes
        QVERIFY(!wizard.isVisible());
    }

    void theTokenEstimateWritesOutTheRollouts()
    {
        // RFT's estimate counts every rollout: the sum is written out, not "tokens × epochs →"
        // a figure that product is not.
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("math")));
        QTemporaryDir folder;
        makeFolder(folder.path(), "    return 1.0\n");
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        const QString dataset = testing::datasetNameOf(sb, QStringLiteral("math"));
        QVERIFY(choose(wizard.dataPage()->datasetCombo(), dataset));
        wizard.dataPage()->setEvaluatorFolder(folder.path(), QStringLiteral("math-eval"));
        QVERIFY(next(wizard));
        auto *params = wizard.parametersPage();
        QVERIFY(params->setKnob(QStringLiteral("epochs"), QStringLiteral("3")));
        QVERIFY(params->setKnob(QStringLiteral("responseCandidatesCount"), QStringLiteral("2")));
        QVERIFY(params->setKnob(QStringLiteral("maxOutputTokens"), QStringLiteral("100")));
        QVERIFY(next(wizard));
        const auto ds = testing::await(sb.api().datasets().get(dataset));
        FD_VERIFY_OK(ds);
        QVERIFY(ds.value().estimatedTokenCount > 0);
        const QLocale locale;
        const qint64 prompts = ds.value().exampleCount;
        const qint64 total = (ds.value().estimatedTokenCount + prompts * 100) * 2 * 3;
        const QString text = wizard.summaryPage()->estimateLabel()->text();
        QVERIFY2(text.contains(QStringLiteral("(%1 in the prompts (")
                                   .arg(locale.toString(ds.value().estimatedTokenCount))),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("+ %1 prompts × 100 max tokens per rollout) × 2 "
                                              "rollouts per prompt × 3 epochs → %2 tokens at most")
                                   .arg(locale.toString(prompts), locale.toString(total))),
                 qPrintable(text));
    }

    void mcpServerAndInferenceReplicasReachTheJob()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("agent")));
        QVERIFY(testing::makeEvaluator(sb, QStringLiteral("tool-use")));
        const QString account = sb.api().accountId();
        const QString evaluator = client::evaluatorName(account, QStringLiteral("tool-use"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto e = testing::await(sb.api().evaluators().get(evaluator));
                return e.ok() && client::isEvaluatorActive(e.value());
            }(),
            10000);

        ui::FineTuneWizard wizard(&sb.api());
        QList<client::TrainingJob> created;
        QVERIFY(testing::showLoaded(wizard, &created));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));

        auto *data = wizard.dataPage();
        QVERIFY(choose(data->datasetCombo(), testing::datasetNameOf(sb, QStringLiteral("agent"))));
        QVERIFY(data->selectEvaluator(evaluator));
        // Not an ID nor an accounts/…/mcpServers/… name: refused on the page, naming the field.
        typeInto(data->mcpServerEdit(), QStringLiteral("https://mcp.example.com/sse"));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::DataId));
        QVERIFY(!data->mcpServerMessage()->isHidden());
        QVERIFY(data->mcpServerMessage()->text().startsWith(QStringLiteral("MCP server:")));
        typeInto(data->mcpServerEdit(), QStringLiteral("web-tools"));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::ParametersId));

        auto *params = wizard.parametersPage();
        const QString replicas = QStringLiteral("maxInferenceReplicaCount");
        QVERIFY(params->knobEditor(replicas));
        typeInto(params->knobEditor(replicas), QStringLiteral("0"));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::ParametersId));
        QVERIFY(params->knobMessage(replicas)->text().startsWith(
            QStringLiteral("Max inference replicas")));
        typeInto(params->knobEditor(replicas), QStringLiteral("3"));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::SummaryId));

        const QString mcp = QStringLiteral("accounts/%1/mcpServers/web-tools").arg(account);
        auto *summary = wizard.summaryPage();
        QVERIFY(summary->summaryLabel()->text().contains(mcp));
        const QString firectl = summary->firectlCommand();
        QVERIFY2(firectl.contains(QStringLiteral("--mcp-server=") + mcp), qPrintable(firectl));
        QVERIFY2(firectl.contains(QStringLiteral("maxInferenceReplicaCount=3")),
                 qPrintable(firectl));
        const QString curl = summary->curlCommand();
        QVERIFY(curl.contains(QStringLiteral("\"mcpServer\"")));
        QVERIFY(curl.contains(QStringLiteral("\"maxInferenceReplicaCount\"")));

        QVERIFY(finish(wizard));
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 30000);
        const auto job = testing::await(sb.api().rftJobs().get(created.first().name));
        FD_VERIFY_OK(job);
        const QJsonObject raw = QJsonDocument::fromJson(job.value().raw).object();
        QCOMPARE(raw.value(QStringLiteral("mcpServer")).toString(), mcp);
        QCOMPARE(raw.value(QStringLiteral("maxInferenceReplicaCount")).toInt(), 3);
    }
};

QTEST_MAIN(TestFineTuneWizardRft)
#include "tst_finetunewizardrft.moc"
