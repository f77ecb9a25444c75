#include "datasetwizard.h"

#include "datasetwizardpages.h"
#include "finetunewizard.h"
#include "finetunewizardpages.h"

#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/displaynames.h>
#include <client/resourceidrules.h>
#include <client/resourcenames.h>
#include <client/uploadflow.h>
#include <models/pagedfetch.h>
#include <ui/confirmation.h>
#include <ui/dialogparts.h>
#include <ui/icons.h>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

//! A dataset ID from a file name: lower case, a-z 0-9 and '-', starting with a letter.
QString idFromFileName(const QString &path)
{
    const QString id = client::resourceIdFrom(QFileInfo(path).completeBaseName());
    return id.isEmpty() ? QStringLiteral("dataset") : id;
}

//! What the platform recorded when it is not the kind the wizard checked the file as: its
//! documentation does not say how it classifies a file of chat and prompt-only rows, so the
//! two can differ for a file uploaded as it is. "" when they agree (or cannot be compared).
QString formatDisagreement(dataset::Format checkedAs, const client::Dataset &d)
{
    const bool checkedSft =
        checkedAs == dataset::Format::SftChat || checkedAs == dataset::Format::SftVision;
    const bool differs =
        (checkedSft && d.format == client::DatasetFormat::Rl) ||
        (checkedAs == dataset::Format::Rft && d.format == client::DatasetFormat::Chat);
    if (!differs)
        return {};
    const auto name = [](dataset::Format f) { return qs(dataset::formatDisplayName(f)); };
    return DatasetUploadPage::tr("The platform took it for %1, not the %2 the wizard checked "
                                 "it as. For %2, upload a copy Fix & split wrote without the "
                                 "lines that are errors for %2; if it is meant as %1, check it "
                                 "as %3 in the wizard.")
        .arg(client::datasetFormatDisplayName(d.format, d.formatRaw), name(checkedAs),
             name(checkedSft ? dataset::Format::Rft : dataset::Format::SftChat));
}

} // namespace

DatasetWizard::DatasetWizard(client::ApiClient *api, QWidget *parent) : QWizard(parent), m_api(api)
{
    setWindowTitle(tr("New dataset"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveFinishButtonOnEarlyPages, false);
    m_source = new DatasetSourcePage(m_state);
    m_format = new DatasetFormatPage(m_state);
    m_validation = new DatasetValidationPage(m_state);
    m_tokens = new DatasetTokensPage(m_state);
    m_fix = new DatasetFixPage(m_state);
    m_upload = new DatasetUploadPage(this, m_state);
    setPage(SourceId, m_source);
    setPage(FormatId, m_format);
    setPage(ValidationId, m_validation);
    setPage(TokensId, m_tokens);
    setPage(FixId, m_fix);
    setPage(UploadId, m_upload);
    resizeWithinScreen(this, kOpenSize);
    // The catalog's tunable models for the Tokens step (their tokenizer files are local);
    // asked again on reaching that step if the first answer was an error.
    loadCatalog();
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == TokensId)
            loadCatalog();
    });
}

void DatasetWizard::preferBaseModel(const QString &name)
{
    m_preferredBase = m_tokens->chooseCatalogModel(name) ? QString() : name;
}

void DatasetWizard::loadCatalog()
{
    if (!m_api || !m_api->isReady() || m_catalogState != CatalogState::None)
        return;
    m_catalogState = CatalogState::Pending;
    m_catalog.clear();
    m_tokens->setCatalogStatus(tr("Loading the catalog's models…"));
    // Every page (at most 200 a page); the picker fills as they arrive.
    models::fetchAllPages<client::Model>(
        this,
        [this](const client::ListRequest &r) {
            return m_api->models().list(r, client::catalogAccount());
        },
        {},
        [this](const QList<client::Model> &items) {
            m_catalog += items;
            m_tokens->setCatalog(m_catalog);
            if (!m_preferredBase.isEmpty() && m_tokens->chooseCatalogModel(m_preferredBase))
                m_preferredBase.clear();
            m_tokens->setCatalogStatus(
                tr("Loading the catalog's models… %1 so far").arg(m_catalog.size()));
        },
        [this](const models::PagedFetchEnd &end) {
            if (end.ok) {
                m_catalogState = CatalogState::Loaded;
                m_tokens->setCatalogStatus({});
                return;
            }
            // Asked again on reaching the Tokens step; what arrived stays offered.
            m_catalogState = CatalogState::None;
            m_tokens->setCatalogStatus(tr("The catalog could not be listed to the end (%1 "
                                          "models listed): %2")
                                           .arg(end.items)
                                           .arg(end.error.message));
        });
}

DatasetWizard::~DatasetWizard() = default;

void DatasetWizard::handOverTo(FineTuneWizard *caller)
{
    m_handOverTo = caller;
}

FineTuneWizard *DatasetWizard::handOverTarget() const
{
    return m_handOverTo;
}

void DatasetWizard::reject()
{
    // Nothing to lose on the Source step (a path typed) or once the upload is READY.
    const bool uploading = m_upload->isRunning();
    if (currentId() == SourceId || (currentId() == UploadId && m_upload->isComplete())) {
        QWizard::reject();
        return;
    }
    const QString file = QFileInfo(m_state.path).fileName();
    Confirmation confirmation;
    confirmation.title = tr("Close the dataset wizard");
    confirmation.question = uploading ? tr("Stop the upload of %1 and close the wizard?").arg(file)
                                      : tr("Close the dataset wizard?");
    confirmation.consequence =
        uploading ? tr("The upload is cancelled; the dataset created for it stays on the "
                       "platform without its file (Upload again in a new wizard, or delete it "
                       "on the Datasets page). Files written by Fix & split stay.")
                  // Token counts are named only when there are some to lose.
                  : (m_state.tokens ? tr("The checks and token counts of %1 are lost. Files "
                                         "written by Fix & split stay where they are.")
                                    : tr("The checks of %1 are lost. Files written by Fix & "
                                         "split stay where they are."))
                        .arg(file);
    confirmation.confirmText = tr("&Close wizard");
    confirmThenRun(this, confirmation, [this] {
        m_upload->cancelUpload();
        m_validation->cancel();
        QWizard::reject();
    });
}

void DatasetWizard::setSourceFile(const QString &path)
{
    m_source->setFile(path);
}

// --- Upload

DatasetUploadPage::DatasetUploadPage(DatasetWizard *wizard, DatasetWizardState &state)
    : m_wizard(wizard), m_state(state)
{
    setTitle(tr("Upload"));
    setSubTitle(tr("Creates the dataset (and, after a split, a second one for the eval part), "
                   "uploads each file through the platform's signed URLs and waits until the "
                   "platform has validated it (READY)."));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_form = form;
    m_id = new QLineEdit;
    form->addRow(tr("Dataset &ID:"), m_id);
    m_evalId = new QLineEdit;
    m_evalId->setToolTip(tr("The dataset the eval split (or the eval file) becomes"));
    form->addRow(tr("E&val dataset ID:"), m_evalId);
    m_displayName = new QLineEdit;
    m_displayName->setMaxLength(client::kMaxDisplayNameLength);
    form->addRow(tr("&Display name:"), m_displayName);
    m_file = new QComboBox;
    // Under the file: the source as it is, when the check found errors in it, goes up only to
    // be refused (or, where the platform reads it as another kind, taken for that kind).
    m_fileHint = makeHintLabel(this, "fileToUploadHint");
    auto *fileBox = new QVBoxLayout;
    fileBox->addWidget(m_file);
    fileBox->addWidget(m_fileHint);
    auto *fileLabel = new QLabel(tr("Fi&le to upload:"));
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileBox);
    layout->addLayout(form);
    auto *row = new QHBoxLayout;
    m_upload = new QPushButton(icons::forAction(icons::Action::Upload), tr("&Upload"));
    m_pause = new QPushButton(tr("&Pause"));
    m_pause->setObjectName(QStringLiteral("pauseUpload"));
    m_pause->setEnabled(false);
    m_pause->setToolTip(tr("Resume sends the current file again from its start: a signed URL "
                           "takes the whole file in one PUT (no ranged upload)."));
    m_cancel = new QPushButton(icons::forAction(icons::Action::Cancel), tr("&Cancel upload"));
    m_cancel->setObjectName(QStringLiteral("cancelUpload"));
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    // "0%" as on the other steps: below its minimum a bar has no text and looks like a field.
    m_progress->setValue(0);
    row->addWidget(m_upload);
    row->addWidget(m_pause);
    row->addWidget(m_cancel);
    row->addWidget(m_progress, 1);
    layout->addLayout(row);
    m_stage = new QLabel;
    m_stage->setWordWrap(true);
    m_stage->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_stage);
    m_results = new QLabel;
    m_results->setObjectName(QStringLiteral("uploadResults"));
    m_results->setWordWrap(true);
    m_results->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_results);
    // The hand-over to the fine-tuning wizard, once the dataset is READY.
    m_fineTune = new QPushButton(icons::forAction(icons::Action::Wizard),
                                 tr("Fine-&tune with this dataset…"));
    m_fineTune->setObjectName(QStringLiteral("fineTuneWithDataset"));
    m_fineTune->setEnabled(false);
    layout->addWidget(m_fineTune, 0, Qt::AlignLeft);
    layout->addStretch(1);
    connect(this, &DatasetUploadPage::finished, m_fineTune,
            [this](bool ok) { m_fineTune->setEnabled(ok && m_ready); });
    connect(m_fineTune, &QPushButton::clicked, this, [this] {
        // Back to the fine-tuning wizard this one was opened from, else a new one.
        FineTuneWizard *caller = m_wizard->handOverTarget();
        FineTuneWizard *wizard =
            caller ? caller : new FineTuneWizard(m_wizard->api(), m_wizard->parentWidget());
        // The wizard's own count is of the source file; a cleaned copy has other lines.
        const bool counted = m_state.tokens && m_file->currentData().toString() == m_state.path;
        wizard->setDataset(m_dataset, counted ? qint64(m_state.tokens->totalTokens) : 0);
        if (!m_evalDataset.name.isEmpty())
            wizard->setEvaluationDataset(m_evalDataset.name);
        m_wizard->accept();
        if (caller)
            return;
        wizard->setAttribute(Qt::WA_DeleteOnClose);
        connect(wizard, &FineTuneWizard::jobCreated, wizard,
                [wizard](const client::TrainingJob &job) {
                    FineTuneWizard::showJobInMonitor(wizard, job);
                });
        wizard->open();
    });
    connect(m_upload, &QPushButton::clicked, this, &DatasetUploadPage::upload);
    // Enter after typing an ID uploads, as the page's one action; the wizard's default button
    // (Finish) waits for READY, so Enter did nothing. Once READY, Enter goes on to Finish.
    for (QLineEdit *edit : {m_id, m_evalId, m_displayName})
        connect(edit, &QLineEdit::returnPressed, this, [this] {
            if (m_upload->isEnabled())
                m_upload->click();
        });
    connect(m_pause, &QPushButton::clicked, this, &DatasetUploadPage::togglePause);
    connect(m_cancel, &QPushButton::clicked, this, &DatasetUploadPage::cancelUpload);
    auto updateUpload = [this] {
        m_upload->setEnabled(
            !m_running && !m_ready && m_file->count() > 0 &&
            client::isValidResourceId(m_id->text().trimmed()) &&
            (evalUploadPath().isEmpty() || (client::isValidResourceId(m_evalId->text().trimmed()) &&
                                            m_evalId->text().trimmed() != m_id->text().trimmed())));
    };
    connect(m_id, &QLineEdit::textChanged, this, updateUpload);
    connect(m_evalId, &QLineEdit::textChanged, this, updateUpload);
    connect(m_file, &QComboBox::currentIndexChanged, this, [this, updateUpload] {
        showEvalId();
        showFileHint();
        updateUpload();
    });
}

void DatasetUploadPage::cancelUpload()
{
    m_queue.clear();
    if (auto *flow = qobject_cast<client::UploadFlow *>(m_flow.data()))
        flow->abort();
    else if (auto *call = qobject_cast<client::PendingCallBase *>(m_flow.data()))
        call->abort();
}

bool DatasetUploadPage::uploadsSplit() const
{
    return !m_state.trainPath.isEmpty() && m_file->currentData().toString() == m_state.trainPath &&
           QFileInfo::exists(m_state.evalSplitPath);
}

QString DatasetUploadPage::sourceEvalFile() const
{
    // The eval file named on Source, when the platform can read it as it is.
    const QString eval = m_state.evalPath;
    if (eval.isEmpty() || !QFileInfo(eval).isFile() ||
        dataset::guessSourceKind(eval.toStdString()) != dataset::SourceKind::Jsonl)
        return {};
    return eval;
}

QString DatasetUploadPage::evalUploadPath() const
{
    if (uploadsSplit())
        return m_state.evalSplitPath;
    // Not with the train split: that has its own eval part.
    if (m_file->currentData().toString() == m_state.trainPath && !m_state.trainPath.isEmpty())
        return {};
    return sourceEvalFile();
}

void DatasetUploadPage::initializePage()
{
    m_fineTune->setText(m_wizard->handOverTarget() ? tr("Use this dataset for the fine-tuning &job")
                                                   : tr("Fine-&tune with this dataset…"));
    m_file->clear();
    if (!m_state.trainPath.isEmpty() && QFileInfo::exists(m_state.trainPath))
        m_file->addItem(
            QFileInfo::exists(m_state.evalSplitPath)
                ? tr("the split: %1 and %2")
                      .arg(m_state.trainPath, QFileInfo(m_state.evalSplitPath).fileName())
                : tr("the train split: %1").arg(m_state.trainPath),
            m_state.trainPath);
    // The eval file of the Source step goes up as the evaluation dataset beside these.
    const QString withEval =
        sourceEvalFile().isEmpty()
            ? QString()
            : tr(", with the eval file %1").arg(QFileInfo(sourceEvalFile()).fileName());
    if (!m_state.cleanedPath.isEmpty() && QFileInfo::exists(m_state.cleanedPath))
        m_file->addItem(tr("the cleaned copy: %1").arg(m_state.cleanedPath) + withEval,
                        m_state.cleanedPath);
    if (m_state.sourceKind() == dataset::SourceKind::Jsonl)
        m_file->addItem(tr("the source file as it is: %1").arg(m_state.path) + withEval,
                        m_state.path);
    if (m_file->count() == 0)
        m_stage->setText(tr("The platform takes JSONL: write a cleaned copy in Fix & split "
                            "first."));
    // Named after the source; kept when typed and the source is the same, renamed after
    // another source (an ID that names the old file would mislead).
    if (m_id->text().isEmpty() || (m_idFor != m_state.path && !m_ready)) {
        m_id->setText(idFromFileName(m_state.path));
        m_evalId->clear();
    }
    m_idFor = m_state.path;
    if (m_evalId->text().isEmpty()) {
        QString evalId = m_id->text().trimmed();
        evalId.truncate(58);
        m_evalId->setText(evalId + QStringLiteral("-eval"));
    }
    showEvalId();
    showFileHint();
    Q_EMIT m_id->textChanged(m_id->text()); // Upload's state
}

void DatasetUploadPage::showFileHint()
{
    const std::optional<dataset::Report> &report = m_state.report;
    const bool refusedSource = m_file->currentData().toString() == m_state.path &&
                               !m_state.path.isEmpty() && report && !report->cancelled &&
                               !report->accepted();
    if (refusedSource) {
        const uint64_t errors = report->train.errors + (report->eval ? report->eval->errors : 0);
        m_fileHint->setText(
            tr("The check found %1 in %2 as %3: the platform would refuse it as it is. Back in "
               "Fix & split, Write files makes a copy without them.")
                .arg(errors == 1 ? tr("1 error") : tr("%1 errors").arg(groupedNumber(errors)),
                     QFileInfo(m_state.path).fileName(),
                     qs(dataset::formatDisplayName(report->train.checkedAs))));
    }
    m_fileHint->setVisible(refusedSource);
}

void DatasetUploadPage::showEvalId()
{
    // Only when the file to upload has an eval part: a greyed "chat-eval" with no eval file
    // read as a second dataset about to be created.
    const bool eval = !evalUploadPath().isEmpty();
    m_form->setRowVisible(m_evalId, eval);
    m_evalId->setEnabled(eval && !m_running);
}

bool DatasetUploadPage::isComplete() const
{
    return m_ready;
}

void DatasetUploadPage::setDatasetId(const QString &id)
{
    m_id->setText(id);
}

void DatasetUploadPage::setEvalDatasetId(const QString &id)
{
    m_evalId->setText(id);
}

void DatasetUploadPage::fail(const QString &message)
{
    m_running = false;
    m_queue.clear();
    m_pause->setEnabled(false);
    m_pause->setText(tr("&Pause"));
    m_cancel->setEnabled(false);
    m_upload->setEnabled(true);
    m_id->setReadOnly(false);
    m_evalId->setReadOnly(false);
    m_file->setEnabled(true);
    m_stage->setText(message);
    Q_EMIT finished(false);
}

void DatasetUploadPage::upload()
{
    const QString path = m_file->currentData().toString();
    const QString id = m_id->text().trimmed();
    if (m_running || m_ready || path.isEmpty() || !client::isValidResourceId(id))
        return;
    const QString displayName = m_displayName->text().trimmed();
    m_queue.clear();
    m_queue.append(Job{id, path, displayName, false});
    if (const QString evalPath = evalUploadPath(); !evalPath.isEmpty()) {
        const QString evalId = m_evalId->text().trimmed();
        if (!client::isValidResourceId(evalId) || evalId == id)
            return;
        // " (eval)" within the platform's limit: a long name gives way, the suffix stays.
        const QString evalSuffix = tr(" (eval)");
        const QString evalName =
            displayName.isEmpty()
                ? QString()
                : displayName.left(client::kMaxDisplayNameLength - int(evalSuffix.size())) +
                      evalSuffix;
        m_queue.append(Job{evalId, evalPath, evalName, true});
    }
    // A retry after a failure or Cancel starts again with what is not READY yet.
    if (!m_dataset.name.isEmpty() && client::resourceId(m_dataset.name) == id &&
        m_dataset.state == client::DatasetState::Ready)
        m_queue.removeFirst();
    else
        m_resultLines.clear();
    m_running = true;
    m_upload->setEnabled(false);
    m_cancel->setEnabled(true);
    m_id->setReadOnly(true);
    m_evalId->setReadOnly(true);
    m_file->setEnabled(false);
    runNext();
}

void DatasetUploadPage::runNext()
{
    if (m_queue.isEmpty()) {
        m_running = false;
        m_ready = true;
        m_pause->setEnabled(false);
        m_cancel->setEnabled(false);
        m_progress->setValue(1000);
        m_stage->setText(m_evalDataset.name.isEmpty()
                             ? tr("Done.")
                             : tr("Done: both datasets are READY; the fine-tuning wizard gets "
                                  "the eval one as its evaluation dataset."));
        Q_EMIT completeChanged();
        Q_EMIT finished(true);
        return;
    }
    const Job job = m_queue.first();
    m_progress->setValue(0);
    if (m_created.contains(job.id)) { // created by an earlier try: only the file is missing
        sendFile(job);
        return;
    }
    m_stage->setText(tr("Creating the dataset %1…").arg(job.id));
    client::Dataset d;
    d.displayName = job.displayName;
    d.userUploaded = true;
    auto *create = m_wizard->api()->datasets().create(job.id, d);
    m_flow = create;
    connect(create, &client::PendingCallBase::finished, this, [this, create, job] {
        if (!m_running)
            return;
        if (!create->result().ok()) {
            const client::ApiError &e = create->result().error();
            if (e.kind == client::ApiError::Kind::Conflict) {
                // The ID is the one thing to change: it is selected for typing over.
                fail(tr("A dataset with the ID %1 already exists: type another %2, or delete "
                        "that dataset on the Datasets page first.")
                         .arg(job.id, job.eval ? tr("eval dataset ID") : tr("dataset ID")));
                QLineEdit *id = job.eval ? m_evalId : m_id;
                id->setFocus();
                id->selectAll();
                return;
            }
            fail(e.kind == client::ApiError::Kind::Cancelled
                     ? tr("Cancelled before %1 was created.").arg(job.id)
                     : tr("Creating the dataset %1 failed: %2").arg(job.id, e.message));
            return;
        }
        m_created << job.id;
        Q_EMIT m_wizard->datasetChanged(create->result().value());
        sendFile(job);
    });
}

void DatasetUploadPage::sendFile(const Job &job)
{
    const QString fileName = QFileInfo(job.path).fileName();
    m_stage->setText(tr("Uploading %1 into %2…").arg(fileName, job.id));
    auto *flow = new client::UploadFlow(m_wizard->api(), client::UploadFlow::Target::Dataset,
                                        job.id, {job.path}, this);
    m_flow = flow;
    flow->setPollIntervalMs(300);
    connect(flow, &client::UploadFlow::totalProgress, this, [this](qint64 sent, qint64 total) {
        if (total > 0)
            m_progress->setValue(int(sent * 1000 / total));
    });
    connect(flow, &client::UploadFlow::stageChanged, this,
            [this, job](client::UploadFlow::Stage stage) {
                m_pause->setEnabled(stage == client::UploadFlow::Stage::Uploading);
                if (stage == client::UploadFlow::Stage::Validating)
                    m_stage->setText(tr("The platform is validating %1…").arg(job.id));
            });
    connect(flow, &client::UploadFlow::pausedChanged, this, [this, fileName](bool paused) {
        m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
        m_stage->setText(paused ? tr("Paused. Resume sends %1 again from its start: the "
                                     "platform's signed URLs take a file in one whole PUT, "
                                     "with no ranged upload to continue from.")
                                      .arg(fileName)
                                : tr("Uploading %1 again from its start…").arg(fileName));
    });
    connect(flow, &client::UploadFlow::signedUrlsRenewed, this, [this](const QString &name) {
        m_stage->setText(tr("The upload link for %1 had expired or was about to (links last "
                            "about an hour). Firedeck asked the platform for fresh links and "
                            "sends %1 from its start: storage cannot continue a signed upload. "
                            "Files already uploaded stay uploaded.")
                             .arg(name));
    });
    connect(flow, &client::UploadFlow::finished, this, [this, flow, job](bool ok) {
        flow->deleteLater();
        m_pause->setEnabled(false);
        m_pause->setText(tr("&Pause"));
        if (!ok) {
            const client::ApiError &e = *flow->error();
            fail(e.kind == client::ApiError::Kind::Cancelled
                     ? tr("Upload cancelled. The dataset %1 exists and waits for a file: "
                          "Upload again sends it, or delete it on the Datasets page.")
                           .arg(job.id)
                     : tr("The upload of %1 failed: %2").arg(job.id, e.message));
            return;
        }
        const client::Dataset &d = flow->dataset();
        (job.eval ? m_evalDataset : m_dataset) = d;
        m_resultLines << tr("%1 (%2): %3 with %4 examples, format %5 (the platform's own "
                            "validation).")
                             .arg(client::resourceId(d.name), job.eval ? tr("eval") : tr("train"),
                                  client::datasetStateName(d.state, d.stateRaw))
                             .arg(groupedNumber(uint64_t(std::max<qint64>(0, d.exampleCount))))
                             .arg(client::datasetFormatDisplayName(d.format, d.formatRaw));
        if (const QString disagreement = formatDisagreement(m_state.format, d);
            !disagreement.isEmpty())
            m_resultLines << disagreement;
        m_results->setText(m_resultLines.join(QLatin1Char('\n')));
        Q_EMIT m_wizard->datasetChanged(d);
        m_queue.removeFirst();
        runNext();
    });
    flow->start();
}

void DatasetUploadPage::togglePause()
{
    auto *flow = qobject_cast<client::UploadFlow *>(m_flow.data());
    if (!flow)
        return;
    if (flow->isPaused())
        flow->resume();
    else
        flow->pause();
}

} // namespace ui
