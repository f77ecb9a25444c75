#include "finetunewizard.h"

#include "datasetwizard.h"
#include "finetunewizardpages.h"
#include "trainingjobspage.h"

#include <ui/dialogparts.h>

#include <client/apiclient.h>
#include <client/resourcenames.h>
#include <client/trainingjobrules.h>
#include <models/pagedfetch.h>

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QTextStream>

namespace ui {

FineTuneWizard::FineTuneWizard(client::ApiClient *api, QWidget *parent)
    : QWizard(parent), m_api(api)
{
    setWindowTitle(tr("New fine-tuning job"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveFinishButtonOnEarlyPages, false);
    setButtonText(QWizard::FinishButton, tr("&Create job"));
    m_method = new FineTuneMethodPage(this, m_state);
    m_data = new FineTuneDataPage(this, m_state);
    m_parameters = new FineTuneParametersPage(this, m_state);
    m_summary = new FineTuneSummaryPage(this, m_state);
    setPage(MethodId, m_method);
    setPage(DataId, m_data);
    setPage(ParametersId, m_parameters);
    setPage(SummaryId, m_summary);
    resizeWithinScreen(this, kOpenSize);
    loadLists();
}

FineTuneWizard::~FineTuneWizard() = default;

void FineTuneWizard::setDataset(const client::Dataset &dataset, qint64 countedTokens)
{
    if (countedTokens > 0)
        m_state.countedTokens.insert(dataset.name, countedTokens);
    m_state.preferredDataset = dataset.name;
    // The dataset wizard hands over a dataset it just saw READY; the list may not have it yet.
    if (!mergeDataset(dataset) && dataset.state == client::DatasetState::Ready)
        m_state.datasets.prepend(dataset);
    m_data->selectDataset(dataset.name);
}

void FineTuneWizard::setEvaluationDataset(const QString &name)
{
    // Chosen once the lists name it (the data page refills its choices, keeping the current
    // one, whenever they arrive).
    auto select = [this, name] {
        QComboBox *combo = m_data->evaluationCombo();
        if (const int i = combo->findData(name); i >= 0)
            combo->setCurrentIndex(i);
    };
    connect(this, &FineTuneWizard::listsChanged, this, select);
    select();
}

bool FineTuneWizard::mergeDataset(const client::Dataset &dataset)
{
    for (client::Dataset &mine : m_state.datasets)
        if (mine.name == dataset.name) {
            mine = dataset;
            return true;
        }
    return false;
}

void FineTuneWizard::openDatasetWizard()
{
    auto *datasets = new DatasetWizard(m_api, this);
    datasets->setAttribute(Qt::WA_DeleteOnClose);
    datasets->handOverTo(this);
    // Its tokens are counted with the model this job trains (its remembered tokenizer files).
    datasets->preferBaseModel(m_state.draft.baseModel);
    // A dataset (or evaluation split) that became READY there is offered here even when the
    // dataset wizard is closed without handing it over.
    connect(datasets, &DatasetWizard::datasetChanged, this, [this](const client::Dataset &d) {
        if (d.state != client::DatasetState::Ready || mergeDataset(d))
            return;
        m_state.datasets.append(d);
        Q_EMIT listsChanged();
    });
    datasets->open();
}

void FineTuneWizard::loadLists()
{
    // Every page of each list (the server gives at most 200 a page): pickers fill as pages
    // arrive and say "Loading…" until the last one is in.
    m_pendingLists = 4;
    const auto ended = [this](const QString &what) {
        return [this, what](const models::PagedFetchEnd &end) {
            if (!end.ok)
                m_listProblems << tr("%1 could not be listed to the end (%2 listed): %3")
                                      .arg(what)
                                      .arg(end.items)
                                      .arg(end.error.message);
            --m_pendingLists;
            listsUpdated();
        };
    };
    models::fetchAllPages<client::Model>(
        this,
        [this](const client::ListRequest &r) {
            return m_api->models().list(r, client::catalogAccount());
        },
        {},
        [this](const QList<client::Model> &items) {
            m_catalog += items;
            listsUpdated();
        },
        ended(tr("The catalog's models")));
    models::fetchAllPages<client::Model>(
        this, [this](const client::ListRequest &r) { return m_api->models().list(r); }, {},
        [this](const QList<client::Model> &items) {
            m_userModels += items;
            listsUpdated();
        },
        ended(tr("Your models")));
    models::fetchAllPages<client::Dataset>(
        this, [this](const client::ListRequest &r) { return m_api->datasets().list(r); }, {},
        [this](const QList<client::Dataset> &items) {
            m_datasetsSeen += int(items.size());
            for (const client::Dataset &d : items) {
                if (d.state != client::DatasetState::Ready)
                    continue;
                // A dataset handed over (setDataset) before its page arrived is kept once.
                if (!mergeDataset(d))
                    m_state.datasets.append(d);
            }
            listsUpdated();
        },
        ended(tr("The datasets")));
    models::fetchAllPages<client::Evaluator>(
        this, [this](const client::ListRequest &r) { return m_api->evaluators().list(r); }, {},
        [this](const QList<client::Evaluator> &items) {
            m_evaluatorsSeen += int(items.size());
            for (const client::Evaluator &e : items) {
                m_state.evaluatorStates.insert(client::resourceId(e.name), e.state);
                if (client::isEvaluatorActive(e))
                    m_state.evaluators.append(e);
            }
            listsUpdated();
        },
        ended(tr("The evaluators")));
    listsUpdated(); // the pages say "Loading…" before the first page arrives
}

void FineTuneWizard::listsUpdated()
{
    m_state.baseModels.clear();
    m_state.loras.clear();
    m_state.accountModelIds.clear();
    for (const client::Model &m : std::as_const(m_userModels))
        m_state.accountModelIds.insert(client::resourceId(m.name));
    for (const QList<client::Model> *list : {&m_catalog, &m_userModels})
        for (const client::Model &m : *list) {
            if (client::isTunableBaseModel(m))
                m_state.baseModels.append(m);
            else if (client::canWarmStartFrom(m))
                m_state.loras.append(m);
        }
    Q_EMIT listsChanged();
}

QString FineTuneWizard::listsStatus() const
{
    QStringList lines;
    if (m_pendingLists > 0)
        lines << tr("Loading… %1 models, %2 datasets and %3 evaluators listed so far.")
                     .arg(m_catalog.size() + m_userModels.size())
                     .arg(m_datasetsSeen)
                     .arg(m_evaluatorsSeen);
    lines << m_listProblems;
    return lines.join(QLatin1Char('\n'));
}

void FineTuneWizard::create()
{
    if (m_flow && m_flow->stage() != models::FineTuneFlow::Stage::Failed)
        return;
    client::TrainingJob job = client::trainingJobFromDraft(m_state.draft);
    const bool upload = m_state.draft.kind == client::TrainingJobKind::Rft &&
                        m_state.draft.evaluatorFromUpload && m_state.upload;
    // An evaluator an earlier Create of this wizard made: used as it is when it was built from
    // the same code (the job's creation failed after it), else updated and built again from
    // the folder now chosen (its build failed, or another folder was picked); never created
    // twice (that answers ALREADY_EXISTS).
    const bool madeIt = upload && !m_madeEvaluator.isEmpty() &&
                        client::resourceId(m_madeEvaluator) == m_state.upload->evaluatorId;
    const auto sameCode = [this] {
        return m_activeCode && m_activeCode->folder == m_state.upload->folder &&
               m_activeCode->entryPoint == m_state.upload->entryPoint;
    };
    if (madeIt && sameCode())
        job.evaluator = m_madeEvaluator;
    const bool uploadNow = upload && job.evaluator.isEmpty();
    const bool rebuild = uploadNow && madeIt;
    if (m_flow)
        m_flow->deleteLater();
    m_flow = new models::FineTuneFlow(m_api, m_state.draft.jobId, job, this);
    m_flow->setPollIntervalMs(500);
    if (uploadNow) {
        m_flow->setEvaluatorUpload(*m_state.upload);
        m_flow->setRebuildExistingEvaluator(rebuild);
    }
    connect(m_flow, &models::FineTuneFlow::progressText, m_summary,
            &FineTuneSummaryPage::showProgress);
    std::optional<models::EvaluatorUpload> code;
    if (uploadNow)
        code = *m_state.upload;
    connect(m_flow, &models::FineTuneFlow::finished, this, [this, flow = m_flow, code](bool ok) {
        if (!flow->evaluatorName().isEmpty()) {
            m_madeEvaluator = flow->evaluatorName();
            m_activeCode = flow->isEvaluatorActive() ? code : std::nullopt;
        }
        if (!ok) {
            QString message = flow->error() ? flow->error()->message : tr("Failed.");
            if (flow->isEvaluatorBuildFailed())
                message += QLatin1Char('\n') +
                           tr("Fix the code, or go Back to Data and pick another folder, then "
                              "Create again: the evaluator %1 is built again from it.")
                               .arg(client::resourceId(flow->evaluatorName()));
            m_summary->showFailure(message);
            return;
        }
        m_summary->setCreated(true);
        Q_EMIT jobCreated(flow->job());
        accept();
    });
    m_flow->start();
}

void FineTuneWizard::reject()
{
    // Closing under a running flow dropped it without a word, leaving the user to guess
    // whether an evaluator (or a job) was made. The job's own creation is one request that
    // cannot be taken back: Cancel closes as before then.
    using Stage = models::FineTuneFlow::Stage;
    if (m_flow && (m_flow->stage() == Stage::CreatingEvaluator ||
                   m_flow->stage() == Stage::UploadingEvaluator ||
                   m_flow->stage() == Stage::BuildingEvaluator)) {
        m_flow->abort();
        return;
    }
    QWizard::reject();
}

void FineTuneWizard::showJobInMonitor(QWidget *anchor, const client::TrainingJob &job)
{
    QWidget *top = anchor ? anchor->window() : nullptr;
    // A wizard is a window of its own: its parent's window holds the pages.
    if (top && top->parentWidget())
        top = top->parentWidget()->window();
    auto *page = top ? top->findChild<TrainingJobsPage *>() : nullptr;
    if (page)
        page->showCreatedJob(job);
}

int FineTuneWizard::screenshot(client::ApiClient *api, const QString &file)
{
    // The Local profile's sandbox starts on its own thread: wait until requests can go out.
    QElapsedTimer waited;
    waited.start();
    while (!api->isReady() && waited.elapsed() < 15000)
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    FineTuneWizard wizard(api);
    wizard.resize(kOpenSize); // as it opens on a large screen, whatever this one
    wizard.show();
    waited.restart();
    while (!wizard.isLoaded() && waited.elapsed() < 10000)
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    // A demo dataset as the dataset wizard hands one over (nothing is created: the shot stops
    // at the summary, whose cost estimate creates nothing).
    client::Dataset demo;
    demo.name = client::datasetName(api->accountId(), QStringLiteral("support-chats"));
    demo.displayName = QStringLiteral("support-chats");
    demo.state = client::DatasetState::Ready;
    demo.exampleCount = 12000;
    demo.estimatedTokenCount = 4180000;
    wizard.setDataset(demo, 4213377);
    wizard.methodPage()->setKind(client::TrainingJobKind::Sft);
    wizard.methodPage()->selectBaseModel(
        client::catalogModelName(QStringLiteral("llama-v3p1-8b-instruct")));
    wizard.methodPage()->outputModelEdit()->setText(QStringLiteral("support-llama-8b"));
    wizard.next(); // Data
    wizard.dataPage()->selectDataset(demo.name);
    wizard.next(); // Hyperparameters
    wizard.parametersPage()->setKnob(QStringLiteral("epochs"), QStringLiteral("2"));
    wizard.parametersPage()->setKnob(QStringLiteral("loraRank"), QStringLiteral("16"));
    wizard.next(); // Summary
    waited.restart();
    while (waited.elapsed() < 1500)
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (wizard.currentId() != SummaryId) {
        QTextStream(stderr) << "the wizard did not reach its summary step\n";
        return 1;
    }
    const bool ok = wizard.grab().save(file, "PNG");
    QTextStream(ok ? stdout : stderr) << (ok ? "saved " : "cannot save ") << file << "\n";
    return ok ? 0 : 1;
}

} // namespace ui
