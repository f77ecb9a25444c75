#include "getmodeldialog.h"

#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>
#include <ui/modelfolderpicker.h>

#include <client/apiclient.h>
#include <client/downloadflow.h>
#include <client/models.h>
#include <client/resourcenames.h>

#include <models/localmodellibrary.h>

#include <widgets/errorbanner.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

namespace {
constexpr int NameRole = Qt::UserRole + 1;
}

GetModelDialog::GetModelDialog(client::ApiClient *api, models::LocalModelLibrary *library,
                               QWidget *parent)
    : QDialog(parent), m_api(api), m_library(library)
{
    setObjectName(QStringLiteral("getModelDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Get a model from the platform"));
    setMinimumWidth(560);

    auto *layout = new QVBoxLayout(this);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("getModelMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);

    auto *modelsLabel =
        new QLabel(tr("&Model (this profile's custom models and LoRA adapters):"), this);
    m_models = new QListWidget(this);
    m_models->setObjectName(QStringLiteral("platformModels"));
    m_models->setAccessibleName(tr("Models to download"));
    modelsLabel->setBuddy(m_models);
    layout->addWidget(modelsLabel);
    layout->addWidget(m_models, 1);

    auto *form = new QFormLayout;
    auto *rootRow = new QHBoxLayout;
    m_root = new QComboBox(this);
    m_root->setObjectName(QStringLiteral("downloadRoot"));
    m_root->setAccessibleName(tr("Model folder to download into"));
    m_addRoot = new QPushButton(tr("Add &folder…"), this);
    m_addRoot->setObjectName(QStringLiteral("addDownloadRoot"));
    rootRow->addWidget(m_root, 1);
    rootRow->addWidget(m_addRoot);
    auto *rootLabel = new QLabel(tr("&Into:"), this);
    rootLabel->setBuddy(m_root);
    form->addRow(rootLabel, rootRow);
    m_target = new QLabel(this);
    m_target->setObjectName(QStringLiteral("downloadTarget"));
    m_target->setWordWrap(true);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Folder:"), m_target);
    layout->addLayout(form);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("downloadProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(QString());
    m_progress->hide(); // shown while downloading: empty, it looked like a text box
    layout->addWidget(m_progress);
    m_stage = new QLabel(this);
    m_stage->setObjectName(QStringLiteral("stageLabel"));
    layout->addWidget(m_stage);
    m_error = makeErrorBanner(this);
    layout->addWidget(m_error);

    m_buttons = makeOkCancelButtons(this, tr("&Download"), icons::Action::Download);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &GetModelDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &GetModelDialog::reject);
    layout->addWidget(m_buttons);

    connect(m_models, &QListWidget::currentRowChanged, this, &GetModelDialog::updateButtons);
    connect(m_root, &QComboBox::currentIndexChanged, this, &GetModelDialog::updateButtons);
    connect(m_addRoot, &QPushButton::clicked, this, &GetModelDialog::addFolder);

    fillRoots();
    if (!m_api || !m_api->isReady()) {
        m_message->setText(tr("No platform profile is connected. Connect one in Settings to "
                              "download its custom models and fine-tuned LoRA adapters."));
    } else {
        m_message->setText(tr("Listing the models of account %1…").arg(m_api->accountId()));
        m_listing = true;
        listModels({});
    }
    updateButtons();
}

void GetModelDialog::listModels(const QString &pageToken)
{
    client::ListRequest request;
    request.pageSize = 200;
    request.pageToken = pageToken;
    auto *call = m_api->models().list(request); // the profile's own account
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        const auto &result = call->result();
        if (!result.ok()) {
            m_listing = false;
            m_message->setText(tr("The models of this profile could not be listed."));
            m_error->showError(errorText(tr("Listing models"), result.error()),
                               errorDetails(result.error()));
            updateButtons();
            return;
        }
        for (const client::Model &m : result.value().items) {
            if (!client::isDownloadableForLocalUse(m))
                continue;
            const QString id = client::resourceId(m.name);
            const QString kind =
                m.kind == client::ModelKind::HfPeftAddon ? tr("LoRA adapter") : tr("custom model");
            QString text = m.displayName.isEmpty() || m.displayName == id
                               ? tr("%1 (%2)").arg(id, kind)
                               : tr("%1 — %2 (%3)").arg(id, m.displayName, kind);
            if (m.peftDetails && !m.peftDetails->baseModel.isEmpty())
                text += tr(", on %1").arg(m.peftDetails->baseModel);
            auto *item = new QListWidgetItem(text, m_models);
            item->setData(NameRole, m.name);
        }
        if (!result.value().nextPageToken.isEmpty()) {
            listModels(result.value().nextPageToken);
            return;
        }
        m_listing = false;
        if (m_models->count() == 0) {
            m_message->setText(
                tr("Account %1 has no models to download: only its own custom models and "
                   "fine-tuned LoRA adapters that are ready (all files uploaded) can be "
                   "downloaded.")
                    .arg(m_api->accountId()));
        } else {
            m_message->setText(tr("Pick a model and the folder to put it in."));
            m_models->setCurrentRow(0);
        }
        updateButtons();
    });
}

void GetModelDialog::fillRoots(const QString &select)
{
    m_root->clear();
    m_root->addItems(m_library->roots());
    const int at = m_root->findText(select);
    if (at >= 0)
        m_root->setCurrentIndex(at);
}

void GetModelDialog::addFolder()
{
    pickModelFolder(this, [this](const QString &dir) {
        m_library->addRoot(dir); // false when it is there already: select it all the same
        fillRoots(dir);
        updateButtons();
        // Enter downloads now; the focus stayed on Add folder, where Enter asked again.
        if (QPushButton *download = m_buttons->button(QDialogButtonBox::Ok); download->isEnabled())
            download->setFocus();
    });
}

QString GetModelDialog::targetDir() const
{
    const QListWidgetItem *item = m_models->currentItem();
    if (!item || m_root->currentText().isEmpty())
        return {};
    return QDir(m_root->currentText())
        .filePath(client::resourceId(item->data(NameRole).toString()));
}

void GetModelDialog::updateButtons()
{
    const bool running = m_flow != nullptr;
    const QString dir = targetDir();
    // Before a model is picked the row said nothing at all beside "Folder:".
    m_target->setText(dir.isEmpty()
                          ? (m_root->count() == 0
                                 ? tr("Add a folder to download into.")
                                 : tr("A folder named after the model you pick, in %1.")
                                       .arg(QDir::toNativeSeparators(m_root->currentText())))
                          : QDir::toNativeSeparators(dir));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!running && !dir.isEmpty());
    m_buttons->button(QDialogButtonBox::Cancel)->setText(running ? tr("&Cancel") : tr("&Close"));
    m_models->setEnabled(!running);
    m_root->setEnabled(!running);
    m_addRoot->setEnabled(!running);
}

void GetModelDialog::start()
{
    const QString dir = targetDir();
    if (m_flow || dir.isEmpty())
        return;
    m_error->hide();
    m_progress->show();
    m_progress->setRange(0, 0);
    m_progress->setValue(0);
    m_progress->setFormat(QString());
    const QString name = m_models->currentItem()->data(NameRole).toString();
    // The existing download flow: files land under their names only when complete, and a
    // folder that already holds a file of the same name is refused rather than overwritten.
    m_flow = new client::DownloadFlow(m_api, client::DownloadFlow::Target::Model, name, dir, this);
    connect(m_flow, &client::DownloadFlow::stageChanged, this,
            [this](client::DownloadFlow::Stage stage) {
                using Stage = client::DownloadFlow::Stage;
                m_stage->setText(stage == Stage::RequestingUrls ? tr("Requesting download URLs…")
                                 : stage == Stage::Downloading  ? tr("Downloading…")
                                                                : QString());
            });
    connect(m_flow, &client::DownloadFlow::fileProgress, this,
            [this](const QString &file, qint64 received, qint64 total) {
                m_stage->setText(total > 0 ? tr("Downloading %1: %2 of %3")
                                                 .arg(file, QLocale().formattedDataSize(received),
                                                      QLocale().formattedDataSize(total))
                                           : tr("Downloading %1…").arg(file));
            });
    connect(m_flow, &client::DownloadFlow::totalProgress, this,
            [this](int filesDone, int filesTotal, qint64 bytes) {
                m_progress->setRange(0, std::max(filesTotal, 1));
                m_progress->setValue(filesDone);
                m_progress->setFormat(tr("%1 of %2 files · %3")
                                          .arg(filesDone)
                                          .arg(filesTotal)
                                          .arg(QLocale().formattedDataSize(bytes)));
            });
    connect(m_flow, &client::DownloadFlow::finished, this, &GetModelDialog::onFinished);
    updateButtons();
    m_flow->start();
}

void GetModelDialog::onFinished(bool ok)
{
    client::DownloadFlow *flow = m_flow;
    m_flow = nullptr;
    flow->deleteLater();
    const QString dir = targetDir();
    if (ok) {
        const QListWidgetItem *item = m_models->currentItem();
        Q_EMIT downloaded(dir, client::resourceId(item->data(NameRole).toString()));
        accept();
        return;
    }
    m_progress->hide();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_stage->clear();
    const client::ApiError &e = *flow->error();
    m_error->showError(e.kind == client::ApiError::Kind::Cancelled
                           ? tr("Download cancelled; nothing partial was kept.")
                       : e.kind == client::ApiError::Kind::Conflict
                           ? tr("%1. %2 already holds files of this model; remove them or pick "
                                "another folder.")
                                 .arg(e.message, QDir::toNativeSeparators(dir))
                           : errorText(tr("Downloading"), e),
                       errorDetails(e));
    updateButtons();
}

void GetModelDialog::reject()
{
    if (m_flow) {
        m_flow->abort(); // onFinished says so; the dialog stays for the message
        return;
    }
    QDialog::reject();
}

} // namespace ui
