#include "downloaddialog.h"

#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/resourcenames.h>

#include <models/modelfolder.h>

#include <widgets/errorbanner.h>

#include <QCheckBox>
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
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

DownloadDialog::DownloadDialog(client::ApiClient *api, client::DownloadFlow::Target target,
                               QString resourceName, QWidget *parent)
    : QDialog(parent), m_api(api), m_target(target), m_name(std::move(resourceName))
{
    setObjectName(QStringLiteral("downloadDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Download %1").arg(client::resourceId(m_name)));
    setMinimumWidth(560);

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("folderEdit"));
    m_folder->setPlaceholderText(tr("Folder to save the files in"));
    auto *folderRow = makePathRow(m_folder, tr("Download into"), QFileDialog::Directory, {},
                                  [this](const QString &path) { setFolder(path); });
    auto *folderLabel = new QLabel(tr("&Folder:"), this);
    folderLabel->setBuddy(m_folder);
    form->addRow(folderLabel, folderRow);
    // A folder named after it, beside the last download (or in Downloads): Enter downloads.
    setFolder(models::suggestedDownloadFolder(client::resourceId(m_name)));
    m_overwrite = new QCheckBox(tr("&Replace existing files of the same name"), this);
    m_overwrite->setObjectName(QStringLiteral("overwriteCheck"));
    form->addRow(QString(), m_overwrite);
    layout->addLayout(form);

    m_files = new QTreeWidget(this);
    m_files->setObjectName(QStringLiteral("fileList"));
    m_files->setHeaderLabels({tr("File"), tr("Progress")});
    m_files->setRootIsDecorated(false);
    m_files->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_files->header()->setStretchLastSection(false);
    m_files->header()->resizeSection(1, 180);
    layout->addWidget(m_files, 1);

    m_total = new QProgressBar(this);
    m_total->setObjectName(QStringLiteral("totalProgress"));
    m_total->setRange(0, 1);
    m_total->setValue(0);
    m_total->setFormat(tr("Listing the files…"));
    layout->addWidget(m_total);
    m_stage = new QLabel(this);
    m_stage->setObjectName(QStringLiteral("stageLabel"));
    layout->addWidget(m_stage);
    m_error = makeErrorBanner(this);
    layout->addWidget(m_error);

    m_buttons = makeOkCancelButtons(this, tr("&Download"), icons::Action::Download);
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("&Close"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &DownloadDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &DownloadDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_folder, &QLineEdit::textChanged, this, &DownloadDialog::updateButtons);
    updateButtons();
    listFiles();
}

void DownloadDialog::listFiles()
{
    // What will be downloaded, before anything is: the same endpoint the download uses.
    auto *call = m_target == client::DownloadFlow::Target::Model
                     ? m_api->models().getDownloadEndpoint(m_name)
                     : m_api->datasets().getDownloadEndpoint(m_name);
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        if (m_flow || !m_items.isEmpty())
            return; // the download listed them already
        if (!call->result().ok()) {
            m_total->setFormat(tr("The file list is not available yet"));
            return;
        }
        showFiles(call->result().value().filenameToSignedUrls.keys());
    });
}

void DownloadDialog::showFiles(const QStringList &names)
{
    m_files->clear();
    m_items.clear();
    m_bars.clear();
    for (const QString &name : names) {
        auto *item = new QTreeWidgetItem(m_files, {name});
        auto *bar = new QProgressBar(m_files);
        bar->setRange(0, 100);
        bar->setValue(0);
        m_files->setItemWidget(item, 1, bar);
        m_items.insert(name, item);
        m_bars.insert(name, bar);
    }
    showTotal(0, int(names.size()));
}

void DownloadDialog::showTotal(int filesDone, int filesTotal, qint64 bytes)
{
    m_total->setRange(0, std::max(filesTotal, 1));
    m_total->setValue(filesDone);
    m_total->setFormat(bytes > 0 ? tr("%1 of %2 files · %3")
                                       .arg(filesDone)
                                       .arg(filesTotal)
                                       .arg(QLocale().formattedDataSize(bytes))
                                 : tr("%1 of %2 files").arg(filesDone).arg(filesTotal));
}

void DownloadDialog::setFolder(const QString &folder)
{
    m_folder->setText(QDir::toNativeSeparators(folder));
}

void DownloadDialog::updateButtons()
{
    const bool running = m_flow != nullptr;
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(!running && !m_folder->text().trimmed().isEmpty());
    m_buttons->button(QDialogButtonBox::Cancel)->setText(running ? tr("&Cancel") : tr("&Close"));
    m_folder->setEnabled(!running);
    m_overwrite->setEnabled(!running);
}

void DownloadDialog::start()
{
    if (m_flow)
        return;
    m_error->hide();
    // The list stays (a person compares it with the folder); only the progress restarts.
    for (QProgressBar *bar : std::as_const(m_bars)) {
        bar->setRange(0, 100);
        bar->setValue(0);
        bar->resetFormat();
    }
    showTotal(0, int(m_items.size()));
    const QString folder = QDir::fromNativeSeparators(m_folder->text().trimmed());
    models::rememberDownloadFolder(folder);
    m_flow = new client::DownloadFlow(m_api, m_target, m_name, folder, this);
    m_flow->setOverwrite(m_overwrite->isChecked());
    connect(m_flow, &client::DownloadFlow::stageChanged, this,
            [this](client::DownloadFlow::Stage stage) {
                using Stage = client::DownloadFlow::Stage;
                m_stage->setText(stage == Stage::RequestingUrls ? tr("Requesting download URLs…")
                                 : stage == Stage::Downloading  ? tr("Downloading…")
                                                                : QString());
            });
    connect(m_flow, &client::DownloadFlow::filesListed, this, &DownloadDialog::showFiles);
    connect(m_flow, &client::DownloadFlow::fileProgress, this,
            [this](const QString &name, qint64 received, qint64 total) {
                QProgressBar *bar = m_bars.value(name);
                if (!bar)
                    return;
                if (total <= 0) {
                    bar->setRange(0, 0); // length unknown: busy
                    return;
                }
                bar->setRange(0, 1000);
                bar->setValue(int(received * 1000 / total));
                bar->setFormat(QLocale().formattedDataSize(total));
            });
    connect(m_flow, &client::DownloadFlow::totalProgress, this,
            [this](int filesDone, int filesTotal, qint64 bytes) {
                showTotal(filesDone, filesTotal, bytes);
            });
    connect(m_flow, &client::DownloadFlow::finished, this, &DownloadDialog::onFinished);
    updateButtons();
    m_flow->start();
}

void DownloadDialog::onFinished(bool ok)
{
    client::DownloadFlow *flow = m_flow;
    m_flow = nullptr;
    if (ok) {
        m_stage->setText(
            tr("Saved %1 files in %2").arg(flow->savedPaths().size()).arg(m_folder->text()));
    } else {
        m_stage->clear();
        const client::ApiError &e = *flow->error();
        // What was saved stays counted; nothing else was downloaded.
        showTotal(int(flow->savedPaths().size()), int(m_items.size()));
        if (e.kind == client::ApiError::Kind::Conflict && !m_overwrite->isChecked()) {
            const QDir folder(QDir::fromNativeSeparators(m_folder->text().trimmed()));
            for (auto it = m_bars.begin(); it != m_bars.end(); ++it)
                if (QFileInfo::exists(folder.filePath(it.key())))
                    it.value()->setFormat(tr("already in the folder"));
        }
        m_error->showError(
            e.kind == client::ApiError::Kind::Cancelled
                ? tr("Download cancelled; nothing partial was kept.")
            : e.kind == client::ApiError::Kind::Conflict
                ? tr("%1. Tick \"Replace existing files\" or pick another folder.").arg(e.message)
                : errorText(tr("Downloading"), e),
            errorDetails(e));
    }
    flow->deleteLater();
    updateButtons();
}

void DownloadDialog::reject()
{
    if (m_flow) {
        m_flow->abort(); // onFinished reports it; the dialog stays for the message
        return;
    }
    QDialog::reject();
}

} // namespace ui
