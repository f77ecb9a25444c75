#include "uploadmodeldialog.h"

#include <ui/commandequivalents.h>
#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/curlcommand.h>
#include <client/resourceidrules.h>
#include <client/resourcenames.h>
#include <client/uploadflow.h>
#include <widgets/errorbanner.h>

#include <QCompleter>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStringListModel>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

UploadModelDialog::UploadModelDialog(client::ApiClient *api, std::optional<client::Model> resume,
                                     QWidget *parent)
    : QDialog(parent), m_api(api), m_resume(std::move(resume)), m_run(m_resume.has_value())
{
    setObjectName(QStringLiteral("uploadModelDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(m_resume ? tr("Resume upload of %1").arg(client::resourceId(m_resume->name))
                            : tr("Upload model"));
    setMinimumSize(640, 560);

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    const ResourceNameRows names = addResourceNameRows(form, this, tr("Model &ID:"), "modelIdEdit",
                                                       "modelIdHint", tr("e.g. my-qwen-finetune"));
    m_id = names.id;
    m_idHint = names.idHint;
    m_displayName = names.displayName;
    m_description = new QPlainTextEdit(this);
    m_description->setObjectName(QStringLiteral("descriptionEdit"));
    m_description->setTabChangesFocus(true);
    m_description->setFixedHeight(m_description->fontMetrics().height() * 3 + 12);
    form->addRow(tr("D&escription:"), m_description);

    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("folderEdit"));
    m_folder->setPlaceholderText(tr("Folder with config.json or adapter_config.json"));
    auto *folderRow = makePathRow(m_folder, tr("Model folder"), QFileDialog::Directory, {},
                                  [this](const QString &path) { setFolder(path); });
    auto *folderBox = new QVBoxLayout;
    folderBox->addLayout(folderRow);
    m_check = makeHintLabel(this, "folderCheckLabel");
    folderBox->addWidget(m_check);
    auto *folderLabel = new QLabel(tr("&Folder:"), this);
    folderLabel->setBuddy(m_folder);
    form->addRow(folderLabel, folderBox);

    m_baseModel = new QLineEdit(this);
    m_baseModel->setObjectName(QStringLiteral("baseModelEdit"));
    m_baseModel->setPlaceholderText(
        tr("one of your models, or %1").arg(client::catalogModelName(QStringLiteral("…"))));
    // The account's own base models first, as the user most likely trained on one of them.
    m_baseChoices = new QStringListModel(this);
    auto *completer = new QCompleter(m_baseChoices, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_baseModel->setCompleter(completer);
    m_baseHint = makeHintLabel(this, "baseModelHint");
    auto *baseBox = new QVBoxLayout;
    baseBox->addWidget(m_baseModel);
    baseBox->addWidget(m_baseHint);
    m_baseLabel = new QLabel(tr("Base &model:"), this);
    m_baseLabel->setBuddy(m_baseModel);
    form->addRow(m_baseLabel, baseBox);
    layout->addLayout(form);

    m_files = new QTreeWidget(this);
    m_files->setObjectName(QStringLiteral("fileList"));
    m_files->setHeaderLabels({tr("File"), tr("Size"), tr("Progress")});
    m_files->setRootIsDecorated(false);
    m_files->header()->setStretchLastSection(false);
    m_files->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_files->header()->resizeSection(1, 90);
    m_files->header()->resizeSection(2, 160);
    layout->addWidget(m_files, 1);
    m_total = new QProgressBar(this);
    m_total->setObjectName(QStringLiteral("totalProgress"));
    m_total->setRange(0, 1000);
    m_total->setValue(0);
    m_total->hide();
    layout->addWidget(m_total);
    m_stage = new QLabel(this);
    m_stage->setObjectName(QStringLiteral("stageLabel"));
    layout->addWidget(m_stage);
    m_error = makeErrorBanner(this);
    layout->addWidget(m_error);

    auto *commands = new CommandEquivalents([this] { return firectlCommand(); },
                                            [this] { return curlCommand(); }, this);
    layout->addWidget(commands);
    m_buttons = makeOkCancelButtons(this, tr("&Upload"), icons::Action::Upload);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &UploadModelDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &UploadModelDialog::reject);
    layout->addWidget(m_buttons);

    if (m_resume) {
        m_id->setText(client::resourceId(m_resume->name));
        m_displayName->setText(m_resume->displayName);
        m_description->setPlainText(m_resume->description);
        if (m_resume->peftDetails)
            m_baseModel->setText(m_resume->peftDetails->baseModel);
        m_id->setReadOnly(true);
        m_displayName->setReadOnly(true);
        m_description->setReadOnly(true);
        m_baseModel->setReadOnly(true);
        commands->setCurlUnavailable(tr("The model exists; there is no create request to copy"));
        m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Upload again"));
    }
    connect(m_id, &QLineEdit::textChanged, this, &UploadModelDialog::updateButtons);
    // Checked once typing pauses: every prefix of a typed path was listed, with a progress bar
    // per file, and "/tmp" froze the dialog for seconds. Until then there is nothing to upload.
    m_inspectTimer = new QTimer(this);
    m_inspectTimer->setSingleShot(true);
    m_inspectTimer->setInterval(kInspectDelayMs);
    connect(m_inspectTimer, &QTimer::timeout, this, &UploadModelDialog::inspectFolder);
    connect(m_folder, &QLineEdit::textChanged, this, [this] {
        m_folderInfo = {};
        updateButtons();
        m_inspectTimer->start();
    });
    connect(m_baseModel, &QLineEdit::textEdited, this, [this] {
        m_baseEdited = true;
        m_baseHint->clear();
        updateButtons();
    });
    if (m_resume) {
        // The folder the interrupted upload came from, when this machine remembers it.
        const QString folder = models::rememberedUploadFolder(m_resume->name);
        if (!folder.isEmpty() && QFileInfo(folder).isDir())
            m_folder->setText(QDir::toNativeSeparators(folder));
    }
    if (!m_resume)
        loadBaseChoices();
    inspectFolder();
}

void UploadModelDialog::setFolder(const QString &folder)
{
    m_folder->setText(QDir::toNativeSeparators(folder));
    inspectFolder(); // chosen, not typed: no pause to wait for
}

void UploadModelDialog::inspectFolder()
{
    m_inspectTimer->stop();
    const QString path = QDir::fromNativeSeparators(m_folder->text().trimmed());
    m_files->clear();
    m_bars.clear();
    m_folderInfo = path.isEmpty() ? models::ModelFolder{} : models::ModelFolder::inspect(path);
    if (path.isEmpty()) {
        m_check->setText(tr("Pick the folder that holds the model's files."));
    } else if (!m_folderInfo.ok) {
        m_check->setText(problemHtml().arg(m_folderInfo.error.toHtmlEscaped()));
    } else {
        const QLocale locale;
        QString text = m_folderInfo.kind == models::ModelFolder::Kind::Lora
                           ? tr("LoRA adapter (adapter_config.json)")
                           : tr("Base or custom model (config.json%1)")
                                 .arg(m_folderInfo.modelType.isEmpty()
                                          ? QString()
                                          : QStringLiteral(", ") + m_folderInfo.modelType);
        text += tr(" · %1 files, %2")
                    .arg(m_folderInfo.files.size())
                    .arg(locale.formattedDataSize(m_folderInfo.totalBytes));
        if (m_folderInfo.skippedFolders > 0)
            text += tr(" · subfolders are not uploaded (%1)").arg(m_folderInfo.skippedFolders);
        m_check->setText(text.toHtmlEscaped());
    }
    // A folder that cannot be uploaded still shows what is in it, without progress bars (one
    // widget per file: a folder of thousands of files took seconds).
    if (!m_folderInfo.error.isEmpty() || m_folderInfo.ok)
        for (const models::ModelFolderFile &f : std::as_const(m_folderInfo.files)) {
            auto *item = new QTreeWidgetItem(
                m_files, {f.name, QLocale().formattedDataSize(f.size), QString()});
            item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
            item->setToolTip(0, QDir::toNativeSeparators(f.path));
            if (!m_folderInfo.ok)
                continue;
            auto *bar = new QProgressBar(m_files);
            bar->setRange(0, 1000);
            bar->setValue(0);
            bar->setTextVisible(false);
            bar->setMaximumHeight(m_files->fontMetrics().height());
            m_files->setItemWidget(item, 2, bar);
            m_bars.insert(f.name, bar);
        }
    // The folder's name as the ID, until the user types their own.
    if (m_folderInfo.ok && !m_resume &&
        (m_id->text().trimmed().isEmpty() || m_id->text() == m_suggestedId)) {
        m_suggestedId = client::resourceIdFrom(models::modelNameOfFolder(path));
        m_id->setText(m_suggestedId);
    }
    const bool lora = m_folderInfo.ok && m_folderInfo.kind == models::ModelFolder::Kind::Lora;
    m_baseLabel->setVisible(lora);
    m_baseModel->setVisible(lora);
    m_baseHint->setVisible(lora);
    if (lora && !m_resume && !m_baseEdited)
        lookUpBaseModel();
    updateButtons();
}

void UploadModelDialog::loadBaseChoices()
{
    // A look-up the user did not ask for: a failure only leaves the completer empty.
    client::ApiClient::BackgroundScope quiet(m_api);
    client::ListRequest request;
    request.pageSize = 200;
    auto *own = m_api->models().list(request);
    connect(own, &client::PendingCallBase::finished, this, [this, own] {
        if (!own->result().ok())
            return;
        QStringList names = m_baseChoices->stringList();
        for (const client::Model &m : own->result().value().items)
            if (m.kind != client::ModelKind::HfPeftAddon && !names.contains(m.name))
                names.prepend(m.name);
        m_baseChoices->setStringList(names);
    });
}

void UploadModelDialog::lookUpBaseModel()
{
    const QString hf = m_folderInfo.baseModelHf;
    if (hf.isEmpty()) {
        m_baseHint->setText(tr("adapter_config.json names no base_model_name_or_path; enter the "
                               "platform's name of the base model."));
        return;
    }
    // Where the base may live, in order: the name as given, a model of this account with the
    // catalog's ID for it (an uploaded copy), then the Fireworks catalog.
    QStringList candidates;
    if (client::isResourceName(hf)) {
        candidates << hf;
    } else {
        const QString id = models::catalogIdForHuggingFaceName(hf);
        candidates << client::modelName(m_api->accountId(), id) << client::catalogModelName(id);
    }
    m_baseHint->setText(tr("From base_model_name_or_path \"%1\"; looking for it…").arg(hf));
    tryBaseCandidates(hf, candidates, ++m_lookup);
}

void UploadModelDialog::tryBaseCandidates(const QString &hf, QStringList candidates, int lookup)
{
    if (candidates.isEmpty()) {
        m_baseHint->setText(tr("\"%1\" matches none of your models and nothing in the Fireworks "
                               "catalog; pick or enter the platform's name of the base model.")
                                .arg(hf));
        return;
    }
    const QString candidate = candidates.takeFirst();
    // The dialog's own guess: a 404 here is an answer, not the user's error.
    client::ApiClient::BackgroundScope quiet(m_api);
    auto *call = m_api->models().get(candidate);
    connect(
        call, &client::PendingCallBase::finished, this,
        [this, call, hf, candidate, candidates, lookup] {
            if (lookup != m_lookup || m_baseEdited)
                return;
            if (call->result().ok()) {
                m_baseModel->setText(candidate);
                const QString shown = call->result().value().displayName;
                m_baseHint->setText(tr("From base_model_name_or_path \"%1\": %2")
                                        .arg(hf, shown.isEmpty() ? candidate : shown));
                updateButtons();
            } else if (call->result().error().kind == client::ApiError::Kind::NotFound) {
                tryBaseCandidates(hf, candidates, lookup);
            } else {
                m_baseHint->setText(
                    tr("Could not look up the base model: %1").arg(call->result().error().message));
            }
        });
}

void UploadModelDialog::updateButtons()
{
    const QString id = m_id->text().trimmed();
    const bool idOk = client::isValidResourceId(id);
    if (!m_resume)
        m_idHint->setText(resourceIdHint(id));
    m_idHint->setVisible(!m_resume);
    const bool lora = m_folderInfo.kind == models::ModelFolder::Kind::Lora;
    const bool baseOk = !lora || !m_baseModel->text().trimmed().isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(!m_running && idOk && m_folderInfo.ok && baseOk);
    m_buttons->button(QDialogButtonBox::Cancel)->setText(m_running ? tr("&Cancel") : tr("&Close"));
}

client::Model UploadModelDialog::modelFromInput() const
{
    client::Model m;
    m.displayName = m_displayName->text().trimmed();
    m.description = m_description->toPlainText().trimmed();
    if (m_folderInfo.kind == models::ModelFolder::Kind::Lora) {
        m.kind = client::ModelKind::HfPeftAddon;
        client::PeftDetails peft;
        peft.baseModel = m_baseModel->text().trimmed();
        peft.r = m_folderInfo.loraRank;
        peft.targetModules = m_folderInfo.targetModules;
        m.peftDetails = peft;
    } else {
        m.kind = client::ModelKind::HfBaseModel;
        client::BaseModelDetails base;
        base.checkpointFormat = client::huggingFaceCheckpointFormat();
        base.modelType = m_folderInfo.modelType;
        base.worldSize = 1;
        m.baseModelDetails = base;
    }
    return m;
}

QString UploadModelDialog::firectlCommand() const
{
    const client::Model m = modelFromInput();
    QStringList args{QStringLiteral("firectl"), QStringLiteral("create"), QStringLiteral("model"),
                     shellQuote(m_id->text().trimmed()),
                     shellQuote(QDir::fromNativeSeparators(m_folder->text().trimmed()))};
    if (m.peftDetails)
        args << QStringLiteral("--base-model") << shellQuote(m.peftDetails->baseModel);
    if (!m.displayName.isEmpty())
        args << QStringLiteral("--display-name") << shellQuote(m.displayName);
    if (!m.description.isEmpty())
        args << QStringLiteral("--description") << shellQuote(m.description);
    if (!m_api->accountId().isEmpty())
        args << QStringLiteral("--account-id") << shellQuote(m_api->accountId());
    return args.join(QLatin1Char(' '));
}

QString UploadModelDialog::curlCommand() const
{
    return client::curlCommand(
        m_api->models().createRequest(m_id->text().trimmed(), modelFromInput()));
}

void UploadModelDialog::setRunning(bool running)
{
    m_running = running;
    const bool locked = running || m_run.created();
    m_id->setReadOnly(locked);
    m_displayName->setReadOnly(locked);
    m_description->setReadOnly(locked);
    m_baseModel->setReadOnly(locked);
    m_folder->setReadOnly(running);
    updateButtons();
}

void UploadModelDialog::showFailure(const QString &what, const client::ApiError &error)
{
    m_stage->clear();
    QString text = error.kind == client::ApiError::Kind::Cancelled ? tr("Upload cancelled.")
                                                                   : errorText(what, error);
    if (m_run.created())
        text += QLatin1Char('\n') +
                tr("The model stays in UPLOADING. \"Upload again\" retries now; \"Resume "
                   "upload…\" on the Models page retries later.");
    m_error->showError(text, errorDetails(error));
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(m_run.created() ? tr("&Upload again") : tr("&Upload"));
    setRunning(false);
}

void UploadModelDialog::start()
{
    if (m_running)
        return;
    // The folder may have changed since it was picked.
    inspectFolder();
    if (!m_folderInfo.ok)
        return;
    // Checked before the model is created, so a file the platform cannot take leaves nothing
    // behind in UPLOADING.
    for (const models::ModelFolderFile &f : std::as_const(m_folderInfo.files))
        if (f.size > client::kMaxSignedUploadBytes) {
            m_error->showError(tr("%1 is %2; the platform takes at most 5 TiB in one file. "
                                  "Split it into shards (e.g. model-00001-of-00002.safetensors).")
                                   .arg(f.name, QLocale().formattedDataSize(f.size)));
            return;
        }
    m_error->hide();
    setRunning(true);
    m_run.start(
        this,
        [this] {
            m_stage->setText(tr("Creating the model…"));
            return m_api->models().create(m_id->text().trimmed(), modelFromInput());
        },
        [this](const client::Model &model) { Q_EMIT modelChanged(model); },
        [this](const client::ApiError &error) {
            if (error.kind != client::ApiError::Kind::Conflict) {
                showFailure(tr("Creating the model"), error);
                return;
            }
            // The ID is the one thing to change (often made from the folder's name, which an
            // earlier upload used): it is selected for typing over.
            m_stage->clear();
            m_error->showError(tr("A model with the ID %1 already exists: type another Model "
                                  "ID, or delete that model on the Models page first (Resume "
                                  "upload there finishes one left in UPLOADING).")
                                   .arg(m_id->text().trimmed()),
                               errorDetails(error));
            setRunning(false);
            m_id->setFocus();
            m_id->selectAll();
        },
        [this] { startUpload(); });
}

void UploadModelDialog::startUpload()
{
    QStringList paths;
    for (const models::ModelFolderFile &f : std::as_const(m_folderInfo.files))
        paths << f.path;
    for (QProgressBar *bar : std::as_const(m_bars))
        bar->setValue(0);
    m_total->setValue(0);
    m_total->show();
    const QString modelName =
        m_resume ? m_resume->name : client::modelName(m_api->accountId(), m_id->text().trimmed());
    models::rememberUploadFolder(modelName, QDir::fromNativeSeparators(m_folder->text().trimmed()));
    auto *flow = new client::UploadFlow(m_api, client::UploadFlow::Target::Model,
                                        m_id->text().trimmed(), paths, this);
    m_run.track(flow);
    flow->setPollIntervalMs(500);
    // Sessions kept in the settings: after a crash, "Resume upload…" goes on from what the
    // platform already stored instead of sending every byte again.
    flow->setSessionMemory(models::uploadSessionMemory());
    connect(flow, &client::UploadFlow::fileResumed, this,
            [this](const QString &name, qint64 stored) {
                m_stage->setText(tr("Resuming %1: %2 were already stored")
                                     .arg(name, QLocale().formattedDataSize(stored)));
            });
    connect(flow, &client::UploadFlow::stageChanged, this, [this](client::UploadFlow::Stage s) {
        using Stage = client::UploadFlow::Stage;
        m_stage->setText(s == Stage::RequestingUrls ? tr("Requesting upload URLs…")
                         : s == Stage::Uploading    ? tr("Uploading files…")
                         : s == Stage::Validating   ? tr("Validating the upload…")
                         : s == Stage::Done         ? tr("READY")
                                                    : QString());
    });
    connect(flow, &client::UploadFlow::fileProgress, this,
            [this](const QString &name, qint64 sent, qint64 total) {
                if (QProgressBar *bar = m_bars.value(name); bar && total > 0)
                    bar->setValue(int(sent * 1000 / total));
            });
    connect(flow, &client::UploadFlow::totalProgress, this, [this](qint64 sent, qint64 total) {
        if (total > 0)
            m_total->setValue(int(sent * 1000 / total));
        m_total->setFormat(
            tr("%1 of %2")
                .arg(QLocale().formattedDataSize(sent), QLocale().formattedDataSize(total)));
    });
    connect(flow, &client::UploadFlow::finished, this, [this, flow, modelName](bool ok) {
        flow->deleteLater();
        if (!ok) {
            showFailure(tr("Uploading the model"), *flow->error());
            return;
        }
        m_running = false;
        models::forgetUploadFolder(modelName);
        Q_EMIT modelChanged(flow->model());
        accept();
    });
    flow->start();
}

void UploadModelDialog::reject()
{
    if (m_running) {
        m_run.abort(); // the handlers report the cancellation; the dialog stays for it
        return;
    }
    QDialog::reject();
}

} // namespace ui
