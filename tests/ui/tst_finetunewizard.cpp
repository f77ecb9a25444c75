// The fine-tuning wizard against the sandbox, driven like a person: New fine-tuning job on the
// Fine-tuning page → an SFT job created with the chosen knobs and open in the job view; an RFT
// job whose evaluator is uploaded from a code folder first; out-of-range values refused on the
// page with no request sent (RFT, SFT, DPO); the copied curl and firectl texts without any key.
// The dataset wizard handing over its dataset is in tst_finetunewizardchain.cpp.

#include <ui/commandequivalents.h>
#include <ui/finetunewizard.h>
#include <ui/finetunewizardpages.h>
#include <ui/jobview.h>
#include <ui/mainwindow.h>
#include <ui/trainingjobspage.h>

#include <client/apiclient.h>
#include <client/resourcenames.h>
#include <client/trainingjobrules.h>
#include <models/trainingjoblistmodel.h>

#include "../common/pagefixture.h"
#include "../common/sandboxfixture.h"
#include "../common/trainingseeds.h"
#include "../common/uitesthelpers.h"
#include "../common/wizardtesthelpers.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
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

#include <atomic>

namespace {

using testing::choose;
using testing::finish;
using testing::next;
using testing::typeInto;

QJsonObject rawOf(const client::TrainingJob &job)
{
    return QJsonDocument::fromJson(job.raw).object();
}

QString clipboardAfter(QPushButton *button)
{
    QApplication::clipboard()->clear();
    if (!testing::click(button))
        return {};
    return QApplication::clipboard()->text();
}

} // namespace

class TestFineTuneWizard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sftFromTheJobsPageToTheJobView()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("support")));
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("support-eval"), 6));
        testing::PageFixture<ui::TrainingJobsPage> f(sb);
        auto *newJob = f.page.findChild<QAction *>(QStringLiteral("newJob"));
        QVERIFY(newJob);
        QVERIFY(testing::clickAction(newJob));
        auto *wizard = testing::waitForDialog<ui::FineTuneWizard>(&f.page);
        QVERIFY(wizard);
        QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), 10000);

        // Method & model: SFT (the default) on a tunable catalog model.
        auto *method = wizard->methodPage();
        QVERIFY(choose(method->baseModelCombo(), testing::baseModelForTraining()));
        for (int i = 0; i < method->baseModelCombo()->count(); ++i) {
            const QString name = method->baseModelCombo()->itemData(i).toString();
            bool tunable = false;
            for (const client::Model &m : wizard->state().baseModels)
                tunable |= m.name == name && client::isTunableBaseModel(m);
            QVERIFY2(tunable, qPrintable(name)); // only tunable models are offered
        }
        typeInto(method->outputModelEdit(), QStringLiteral("support-tuned"));
        typeInto(method->jobIdEdit(), QStringLiteral("support-sft"));
        QVERIFY(next(*wizard));

        // Data: the READY training dataset and a separate evaluation dataset.
        QCOMPARE(wizard->currentId(), int(ui::FineTuneWizard::DataId));
        auto *data = wizard->dataPage();
        const QString train = testing::datasetNameOf(sb, QStringLiteral("support"));
        const QString eval = testing::datasetNameOf(sb, QStringLiteral("support-eval"));
        QVERIFY(choose(data->datasetCombo(), train));
        QVERIFY(choose(data->evaluationCombo(), eval));
        QVERIFY(data->datasetInfo()->text().contains(QStringLiteral("12 examples")));
        QVERIFY(next(*wizard));

        // Hyperparameters, typed; W&B with a key that must never be copied.
        QCOMPARE(wizard->currentId(), int(ui::FineTuneWizard::ParametersId));
        auto *params = wizard->parametersPage();
        typeInto(params->knobEditor(QStringLiteral("epochs")), QStringLiteral("2"));
        typeInto(params->knobEditor(QStringLiteral("learningRate")), QStringLiteral("0.0002"));
        typeInto(params->knobEditor(QStringLiteral("loraRank")), QStringLiteral("16"));
        typeInto(params->wandbProjectEdit(), QStringLiteral("support"));
        typeInto(params->wandbEntityEdit(), QStringLiteral("acme"));
        typeInto(params->wandbKeyEdit(), QStringLiteral("wandb-secret-123"));
        QVERIFY(next(*wizard));

        // Summary: tokens, the platform's cost estimate, and commands without keys.
        QCOMPARE(wizard->currentId(), int(ui::FineTuneWizard::SummaryId));
        auto *summary = wizard->summaryPage();
        QVERIFY(summary->summaryLabel()->text().contains(train));
        // "× 2 epochs", not "× 2 epoch(s)": no translation resolves %n forms.
        QVERIFY2(summary->estimateLabel()->text().contains(QStringLiteral("× 2 epochs →")),
                 qPrintable(summary->estimateLabel()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(
            summary->costLabel()->text().contains(QStringLiteral("simulated :estimateCost")),
            10000);
        const QString curl = clipboardAfter(
            summary->commands()->findChild<QPushButton *>(QStringLiteral("copyCurl")));
        QVERIFY(curl.startsWith(QStringLiteral("curl -X POST")));
        QVERIFY(curl.contains(QStringLiteral("supervisedFineTuningJobId=support-sft")));
        QVERIFY(curl.contains(QStringLiteral("$FIREWORKS_API_KEY")));
        QVERIFY(curl.contains(QStringLiteral("$WANDB_API_KEY")));
        QVERIFY(!curl.contains(sandbox::SandboxOptions().bootstrapApiKey));
        QVERIFY(!curl.contains(QStringLiteral("wandb-secret-123")));
        const QString firectl = clipboardAfter(
            summary->commands()->findChild<QPushButton *>(QStringLiteral("copyFirectl")));
        QVERIFY(firectl.startsWith(QStringLiteral("firectl create supervised-fine-tuning-job")));
        QVERIFY(firectl.contains(QStringLiteral("--epochs=2")));
        QVERIFY(firectl.contains(QStringLiteral("--lora-rank=16")));
        QVERIFY(firectl.contains(QStringLiteral("--wandb-project=support")));
        QVERIFY(!firectl.contains(QStringLiteral("wandb-secret-123")));
        QVERIFY(!firectl.contains(sandbox::SandboxOptions().bootstrapApiKey));

        // Create: the job opens in the training monitor.
        QVERIFY(finish(*wizard));
        QTRY_VERIFY_WITH_TIMEOUT(f.page.isJobViewOpen(), 10000);
        const QString name = client::trainingJobName(
            sb.api().accountId(), client::TrainingJobKind::Sft, QStringLiteral("support-sft"));
        QTRY_COMPARE_WITH_TIMEOUT(f.page.jobView()->job().name, name, 10000);
        QVERIFY(f.page.model()->rowOfName(name) >= 0);

        // What the sandbox holds is what the wizard was told.
        const auto stored = testing::await(sb.api().sftJobs().get(name));
        FD_VERIFY_OK(stored);
        const client::TrainingJob &job = stored.value();
        QCOMPARE(job.dataset, train);
        QCOMPARE(job.evaluationDataset, eval);
        QCOMPARE(job.baseModel, testing::baseModelForTraining());
        QCOMPARE(job.epochs, std::optional<int>(2));
        QCOMPARE(job.loraRank, std::optional<int>(16));
        QVERIFY(job.learningRate && qFuzzyCompare(*job.learningRate, 0.0002));
        QVERIFY(job.outputModel.endsWith(QStringLiteral("/support-tuned")));
        const QJsonObject wandb = rawOf(job).value(QStringLiteral("wandbConfig")).toObject();
        QCOMPARE(wandb.value(QStringLiteral("project")).toString(), QStringLiteral("support"));
        QCOMPARE(wandb.value(QStringLiteral("entity")).toString(), QStringLiteral("acme"));
    }

    void rftWithAnUploadedEvaluator()
    {
        sandbox::SandboxOptions options;
        options.timeScale = 200;
        const auto evaluatorCreates = testing::countEvaluatorCreates(options);
        testing::SandboxFixture sb(options);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("math")));
        QTemporaryDir code;
        {
            QFile py(code.filePath(QStringLiteral("main.py")));
            QVERIFY(py.open(QIODevice::WriteOnly));
            py.write("import re\n\n\ndef evaluate(messages, ground_truth=None, **kw):\n"
                     "    \"\"\"1.0 when the last answer is the ground truth.\"\"\"\n"
                     "    return {\"score\": 1.0}\n");
            QFile req(code.filePath(QStringLiteral("requirements.txt")));
            QVERIFY(req.open(QIODevice::WriteOnly));
            req.write("eval-protocol\n");
        }
        ui::FineTuneWizard wizard(&sb.api());
        QList<client::TrainingJob> created;
        QVERIFY(testing::showLoaded(wizard, &created));
        // The output model's name is taken once the wizard has listed the models (the first
        // step refuses a name it knows): the first Create fails after the evaluator's build.
        client::Model taken;
        taken.kind = client::ModelKind::HfBaseModel;
        taken.baseModelDetails = client::BaseModelDetails{};
        taken.baseModelDetails->checkpointFormat = client::huggingFaceCheckpointFormat();
        FD_VERIFY_OK(testing::await(sb.api().models().create(QStringLiteral("math-rft"), taken)));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        typeInto(wizard.methodPage()->outputModelEdit(), QStringLiteral("math-rft"));
        QVERIFY(next(wizard));

        auto *data = wizard.dataPage();
        QVERIFY(choose(data->datasetCombo(), testing::datasetNameOf(sb, QStringLiteral("math"))));
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled() ||
                data->evaluatorCombo()->count() > 0);
        data->setEvaluatorFolder(code.path(), QStringLiteral("math-eval"));
        // The preview shows the entry point found in the folder.
        QCOMPARE(data->entryPointEdit()->text(), QStringLiteral("main.py::evaluate"));
        QVERIFY(data->previewStatus()->text().contains(QStringLiteral("main.py, line 4")));
        QVERIFY(data->previewView()->toPlainText().startsWith(QStringLiteral("def evaluate(")));
        // A function the file does not define: Next stays off.
        typeInto(data->entryPointEdit(), QStringLiteral("main.py::score"));
        QVERIFY(data->previewStatus()->text().contains(QStringLiteral("no function score")));
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
        typeInto(data->entryPointEdit(), QStringLiteral("main.py::evaluate"));
        QVERIFY(next(wizard));

        auto *params = wizard.parametersPage();
        typeInto(params->knobEditor(QStringLiteral("temperature")), QStringLiteral("0.8"));
        typeInto(params->knobEditor(QStringLiteral("responseCandidatesCount")),
                 QStringLiteral("6"));
        typeInto(params->knobEditor(QStringLiteral("epochs")), QStringLiteral("2"));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::SummaryId));
        // Said per method: the docs give no RFT price, per token or per GPU-hour.
        const QString cost = wizard.summaryPage()->costLabel()->text();
        QVERIFY2(cost.startsWith(QStringLiteral("Cost: no estimate for RFT.")), qPrintable(cost));
        QVERIFY2(cost.contains(QStringLiteral("nothing per token and nothing per GPU-hour")),
                 qPrintable(cost));
        const QString firectl = wizard.summaryPage()->firectlCommand();
        QVERIFY(firectl.startsWith(QStringLiteral("# The evaluator ")));
        QVERIFY(firectl.contains(QStringLiteral("--evaluator=accounts/")));
        QVERIFY(finish(wizard));
        auto *status = wizard.summaryPage()->statusLabel();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("already exists")), 30000);
        QVERIFY(created.isEmpty());
        // The name freed, Create again: the evaluator already built is used, not uploaded again.
        FD_VERIFY_OK(testing::await(sb.api().models().remove(QStringLiteral("math-rft"))));
        QVERIFY(finish(wizard));
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 30000);
        QCOMPARE(evaluatorCreates->load(), 1);

        const QString evaluator =
            client::evaluatorName(sb.api().accountId(), QStringLiteral("math-eval"));
        QCOMPARE(created.first().evaluator, evaluator);
        const auto ev = testing::await(sb.api().evaluators().get(evaluator));
        FD_VERIFY_OK(ev);
        QVERIFY(client::isEvaluatorActive(ev.value()));
        QCOMPARE(ev.value().entryPoint, QStringLiteral("main.py::evaluate"));
        const auto job = testing::await(sb.api().rftJobs().get(created.first().name));
        FD_VERIFY_OK(job);
        QCOMPARE(job.value().evaluator, evaluator);
        QCOMPARE(job.value().inferenceParameters.responseCandidatesCount, std::optional<int>(6));
        QVERIFY(job.value().inferenceParameters.temperature &&
                qFuzzyCompare(*job.value().inferenceParameters.temperature, 0.8));
        QCOMPARE(job.value().epochs, std::optional<int>(2));
    }

    void outOfRangeIsRefusedBeforeSending()
    {
        auto posts = std::make_shared<std::atomic<int>>(0);
        sandbox::SandboxOptions options;
        options.timeScale = 200;
        options.requestObserver = [posts](const QByteArray &method, const QString &path,
                                          const QString &, const QByteArray &) {
            if (method == "POST")
                ++*posts;
            Q_UNUSED(path);
        };
        testing::SandboxFixture sb(options);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("math")));
        QVERIFY(testing::makeEvaluator(sb, QStringLiteral("exact")));
        const auto evaluatorName =
            client::evaluatorName(sb.api().accountId(), QStringLiteral("exact"));
        QTRY_VERIFY_WITH_TIMEOUT(
            client::isEvaluatorActive(
                testing::await(sb.api().evaluators().get(evaluatorName)).value()),
            10000);
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        wizard.methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        QVERIFY(choose(wizard.dataPage()->datasetCombo(),
                       testing::datasetNameOf(sb, QStringLiteral("math"))));
        QVERIFY(wizard.dataPage()->selectEvaluator(evaluatorName));
        QVERIFY(next(wizard));
        const int before = posts->load();

        auto *params = wizard.parametersPage();
        typeInto(params->knobEditor(QStringLiteral("learningRate")), QStringLiteral("0.01"));
        QLabel *message = params->knobMessage(QStringLiteral("learningRate"));
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(QStringLiteral("Learning rate")) &&
                     message->text().contains(QStringLiteral("1e-5 – 5e-4")),
                 qPrintable(message->text()));
        typeInto(params->knobEditor(QStringLiteral("responseCandidatesCount")),
                 QStringLiteral("1"));
        QVERIFY(params->knobMessage(QStringLiteral("responseCandidatesCount"))
                    ->text()
                    .contains(QStringLiteral("2–8")));
        // Next is refused: the page stays, the first bad field has the focus.
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::ParametersId));
        QTRY_VERIFY(params->knobEditor(QStringLiteral("learningRate"))->hasFocus());
        QTest::qWait(200); // anything sent would have arrived by now
        QCOMPARE(posts->load(), before);

        // Fixed values pass.
        typeInto(params->knobEditor(QStringLiteral("learningRate")), QStringLiteral("0.0001"));
        typeInto(params->knobEditor(QStringLiteral("responseCandidatesCount")),
                 QStringLiteral("4"));
        QVERIFY(!params->knobMessage(QStringLiteral("learningRate"))->isVisible());
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::SummaryId));
        QCOMPARE(posts->load(), before); // an RFT summary asks the platform nothing
    }

    void aRefusedCreateSaysWhyAndCanBeRetried()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("rows")));
        ui::FineTuneWizard wizard(&sb.api());
        QList<client::TrainingJob> created;
        QVERIFY(testing::showLoaded(wizard, &created));
        // Taken after the wizard listed the models (a name it knows is refused at the first
        // step): only the platform can say so, at Create.
        client::Model taken;
        taken.kind = client::ModelKind::HfBaseModel;
        taken.baseModelDetails = client::BaseModelDetails{};
        taken.baseModelDetails->checkpointFormat = client::huggingFaceCheckpointFormat();
        FD_VERIFY_OK(testing::await(sb.api().models().create(QStringLiteral("taken"), taken)));
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        typeInto(wizard.methodPage()->outputModelEdit(), QStringLiteral("taken"));
        QVERIFY(next(wizard));
        QVERIFY(choose(wizard.dataPage()->datasetCombo(),
                       testing::datasetNameOf(sb, QStringLiteral("rows"))));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QVERIFY(finish(wizard));
        QVERIFY(!wizard.button(QWizard::BackButton)->isEnabled()); // while it is being created
        auto *status = wizard.summaryPage()->statusLabel();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Not created")), 10000);
        QVERIFY(wizard.button(QWizard::BackButton)->isEnabled());
        QVERIFY2(status->text().contains(QStringLiteral("already exists")),
                 qPrintable(status->text()));
        QVERIFY(wizard.isVisible());
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::SummaryId));
        QVERIFY(created.isEmpty());
        // Back to the first page, another output model, Create again.
        QVERIFY(
            testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::BackButton))));
        QVERIFY(
            testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::BackButton))));
        QVERIFY(
            testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::BackButton))));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::MethodId));
        typeInto(wizard.methodPage()->outputModelEdit(), QStringLiteral("free"));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QVERIFY(finish(wizard));
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 10000);
        QVERIFY(created.first().outputModel.endsWith(QStringLiteral("/free")));
    }

    void warmStartFromAnEarlierLora()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("rows")));
        const auto first = testing::startSft(sb, QStringLiteral("first"), QStringLiteral("rows"));
        FD_VERIFY_OK(first);
        // The finished job leaves its LoRA (accounts/…/models/first).
        QTRY_VERIFY_WITH_TIMEOUT(
            testing::await(sb.api().sftJobs().get(first.value().name)).value().state ==
                client::JobState::Completed,
            30000);
        const QString lora = client::modelName(sb.api().accountId(), QStringLiteral("first"));
        ui::FineTuneWizard wizard(&sb.api());
        QList<client::TrainingJob> created;
        QVERIFY(testing::showLoaded(wizard, &created));
        auto *method = wizard.methodPage();
        QVERIFY(testing::click(method->fromLoraButton()));
        QVERIFY(choose(method->loraCombo(), lora));
        QVERIFY(method->baseModelCombo()->findData(lora) < 0); // a LoRA is no base model
        typeInto(method->outputModelEdit(), QStringLiteral("second"));
        QVERIFY(next(wizard));
        QVERIFY(choose(wizard.dataPage()->datasetCombo(),
                       testing::datasetNameOf(sb, QStringLiteral("rows"))));
        QVERIFY(next(wizard));
        // The LoRA's base model (Qwen3 0.6B, 40,960 tokens) bounds the max context.
        auto *params = wizard.parametersPage();
        typeInto(params->knobEditor(QStringLiteral("maxContextLength")), QStringLiteral("65536"));
        QVERIFY2(params->knobMessage(QStringLiteral("maxContextLength"))
                     ->text()
                     .contains(QStringLiteral("40960")),
                 qPrintable(params->knobMessage(QStringLiteral("maxContextLength"))->text()));
        typeInto(params->knobEditor(QStringLiteral("maxContextLength")), QStringLiteral("16384"));
        QVERIFY(next(wizard));
        QVERIFY(wizard.summaryPage()->summaryLabel()->text().contains(lora));
        QVERIFY(finish(wizard));
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 10000);
        const auto job = testing::await(sb.api().sftJobs().get(created.first().name));
        FD_VERIFY_OK(job);
        QCOMPARE(job.value().warmStartFrom, lora);
        QVERIFY(job.value().baseModel.isEmpty());
        QCOMPARE(job.value().maxContextLength, std::optional<int>(16384));
    }

    // One field each for SFT and DPO: the message names the field and its range, Next keeps
    // the page, and nothing is sent (their summaries would ask for :estimateCost).
    void outOfRangeIsRefusedBeforeSending_sftAndDpo_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("bad");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("good");
        QTest::newRow("sft loraRank")
            << int(client::TrainingJobKind::Sft) << QStringLiteral("loraRank")
            << QStringLiteral("128")
            << QStringLiteral("LoRA rank: 128 is too large; allowed: power of 2, ≤ 64")
            << QStringLiteral("64");
        QTest::newRow("dpo beta") << int(client::TrainingJobKind::Dpo) << QStringLiteral("dpo.beta")
                                  << QStringLiteral("0.5")
                                  << QStringLiteral(
                                         "DPO beta: 0.5 is too large; allowed: 0 < β < 0.5")
                                  << QStringLiteral("0.1");
    }

    void outOfRangeIsRefusedBeforeSending_sftAndDpo()
    {
        QFETCH(int, kind);
        QFETCH(QString, field);
        QFETCH(QString, bad);
        QFETCH(QString, message);
        QFETCH(QString, good);
        auto sent = std::make_shared<std::atomic<int>>(0);
        sandbox::SandboxOptions options;
        options.timeScale = 200;
        options.requestObserver = [sent](const QByteArray &method, const QString &, const QString &,
                                         const QByteArray &) {
            if (method != "GET")
                ++*sent;
        };
        testing::SandboxFixture sb(options);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("knobs")));
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        wizard.methodPage()->setKind(client::TrainingJobKind(kind));
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        QVERIFY(choose(wizard.dataPage()->datasetCombo(),
                       testing::datasetNameOf(sb, QStringLiteral("knobs"))));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::ParametersId));
        const int before = sent->load();

        auto *params = wizard.parametersPage();
        typeInto(params->knobEditor(field), bad);
        QLabel *shown = params->knobMessage(field);
        QVERIFY(shown->isVisible());
        QCOMPARE(shown->text(), message);
        QVERIFY(next(wizard)); // clicked; refused
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::ParametersId));
        QTRY_VERIFY(params->knobEditor(field)->hasFocus());
        QTest::qWait(200); // anything sent would have arrived by now
        QCOMPARE(sent->load(), before);

        // The value in range passes to the summary.
        typeInto(params->knobEditor(field), good);
        QVERIFY(!params->knobMessage(field)->isVisible());
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::SummaryId));
        // The counter sees what the wizard sends: SFT's summary asks for :estimateCost.
        if (client::TrainingJobKind(kind) == client::TrainingJobKind::Sft)
            QTRY_VERIFY_WITH_TIMEOUT(sent->load() > before, 10000);
    }

    void dpoWithItsLossSettings()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("pairs")));
        ui::FineTuneWizard wizard(&sb.api());
        QList<client::TrainingJob> created;
        QVERIFY(testing::showLoaded(wizard, &created));
        wizard.methodPage()->setKind(client::TrainingJobKind::Dpo);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        QVERIFY(choose(wizard.dataPage()->datasetCombo(),
                       testing::datasetNameOf(sb, QStringLiteral("pairs"))));
        QVERIFY(!wizard.dataPage()->evaluationCombo()->isEnabled()); // DPO jobs take none
        QVERIFY(next(wizard));
        auto *params = wizard.parametersPage();
        QVERIFY(params->knobEditor(QStringLiteral("temperature")) == nullptr); // no rollouts
        typeInto(params->knobEditor(QStringLiteral("dpo.beta")), QStringLiteral("0.5"));
        QVERIFY(params->knobMessage(QStringLiteral("dpo.beta"))
                    ->text()
                    .contains(QStringLiteral("0 < β < 0.5")));
        typeInto(params->knobEditor(QStringLiteral("dpo.beta")), QStringLiteral("0.2"));
        auto *method = qobject_cast<QComboBox *>(params->knobEditor(QStringLiteral("method")));
        QVERIFY(method);
        QVERIFY(choose(method, QStringLiteral("ORPO")));
        QVERIFY(next(wizard));
        // Said per method: the docs give no DPO price and no rule relating it to SFT's.
        const QString cost = wizard.summaryPage()->costLabel()->text();
        QVERIFY2(cost.startsWith(QStringLiteral("Cost: no estimate for DPO.")), qPrintable(cost));
        QVERIFY2(cost.contains(QStringLiteral("no rule relating it to SFT's")), qPrintable(cost));
        QVERIFY(finish(wizard));
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 10000);
        const auto job = testing::await(sb.api().dpoJobs().get(created.first().name));
        FD_VERIFY_OK(job);
        QCOMPARE(job.value().lossMethod, QStringLiteral("ORPO"));
        const QJsonObject loss = rawOf(job.value()).value(QStringLiteral("lossConfig")).toObject();
        QCOMPARE(
            loss.value(QStringLiteral("dpo")).toObject().value(QStringLiteral("beta")).toDouble(),
            0.2);
    }

    void dpoOffersNoEvaluationSplit_evenAfterAHandOver()
    {
        // A DPO job has no evaluation dataset and no carve-out (§3.11): the Data step must not
        // show a checked "Carve an evaluation split" box, also once a dataset made with the
        // dataset wizard is handed over and the pickers are filled again.
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("pairs")));
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        wizard.methodPage()->setKind(client::TrainingJobKind::Dpo);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        auto *carveOut = wizard.dataPage()->carveOutCheck();
        QVERIFY(!carveOut->isVisible());
        QVERIFY(!wizard.dataPage()->evaluationCombo()->isVisible());
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("made-on-the-way")));
        const auto made = testing::await(sb.api().datasets().get(
            testing::datasetNameOf(sb, QStringLiteral("made-on-the-way"))));
        FD_VERIFY_OK(made);
        wizard.setDataset(made.value());
        QCOMPARE(wizard.dataPage()->datasetCombo()->currentData().toString(), made.value().name);
        QVERIFY(!carveOut->isVisible());
        QVERIFY(!carveOut->isEnabled());
        QVERIFY(!wizard.dataPage()->evaluationCombo()->isVisible());
        // Back to SFT: both rows are there again.
        wizard.back();
        wizard.methodPage()->setKind(client::TrainingJobKind::Sft);
        QVERIFY(next(wizard));
        QVERIFY(carveOut->isVisible() && carveOut->isEnabled());
        QVERIFY(wizard.dataPage()->evaluationCombo()->isVisible());
    }

    void anOutputModelIdThatIsTakenIsRefusedAtTheFirstStep()
    {
        // The platform answers ALREADY_EXISTS for a job whose output model exists, but only at
        // Create, after every step: the first step says so beside the field instead.
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("pairs")));
        client::Model existing;
        existing.kind = client::ModelKind::HfBaseModel;
        existing.baseModelDetails = client::BaseModelDetails{};
        FD_VERIFY_OK(
            testing::await(sb.api().models().create(QStringLiteral("einstein-dpo"), existing)));
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        auto *method = wizard.methodPage();
        method->setKind(client::TrainingJobKind::Dpo);
        QVERIFY(choose(method->baseModelCombo(), testing::baseModelForTraining()));
        typeInto(method->outputModelEdit(), QStringLiteral("einstein-dpo"));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::MethodId));
        const QString problem = method->problemLabel()->text();
        QVERIFY2(problem.contains(QStringLiteral("model einstein-dpo already exists")),
                 qPrintable(problem));
        QCOMPARE(method->outputModelEdit()->text(), QStringLiteral("einstein-dpo"));
        typeInto(method->outputModelEdit(), QStringLiteral("einstein-dpo-2"));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::FineTuneWizard::DataId));
    }

    void ctrlNOnTheFineTuningPageOpensTheWizard()
    {
        testing::SandboxFixture sb(200);
        ui::MainWindow window;
        auto *jobs = new ui::TrainingJobsPage(&sb.api());
        window.addPage(jobs);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.showPage(jobs->pageId()));
        QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
        auto *wizard = testing::waitForDialog<ui::FineTuneWizard>(jobs);
        QVERIFY(wizard);
        wizard->reject();
    }

    void aHandedOverDatasetNotReadyIsNotOffered()
    {
        testing::SandboxFixture sb(200); // no READY dataset at all
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        client::Dataset uploading;
        uploading.name = testing::datasetNameOf(sb, QStringLiteral("uploading"));
        uploading.state = client::DatasetState::Uploading;
        wizard.setDataset(uploading);
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.dataPage()->datasetCombo()->count(), 0);
        QVERIFY(wizard.dataPage()->datasetInfo()->text().contains(QStringLiteral("No READY")));
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    }

    void aHandedOverDatasetIsFilledIn()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("fresh")));
        const QString name = testing::datasetNameOf(sb, QStringLiteral("fresh"));
        const auto dataset = testing::await(sb.api().datasets().get(name));
        FD_VERIFY_OK(dataset);
        ui::FineTuneWizard wizard(&sb.api());
        wizard.setDataset(dataset.value(), 1310720);
        QVERIFY(testing::showLoaded(wizard));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.dataPage()->datasetCombo()->currentData().toString(), name);
        // Grouped as the locale writes numbers (1,310,720 here), not 1310720.
        const QString info = wizard.dataPage()->datasetInfo()->text();
        QVERIFY2(info.contains(QLocale().toString(1310720) +
                               QStringLiteral(" tokens (counted by the dataset wizard)")),
                 qPrintable(info));
        QVERIFY2(!info.contains(QStringLiteral("1310720")), qPrintable(info));
    }
};

QTEST_MAIN(TestFineTuneWizard)
#include "tst_finetunewizard.moc"
