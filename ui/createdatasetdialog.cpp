#include "createdatasetdialog.h"

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

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace ui {

CreateDatasetDialog::CreateDatasetDialog(client::ApiClient *api, QWidget *parent)
    : QDialog(parent), m_api(api)
{
    setObjectName(QStringLiteral("createDatasetDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Create dataset from JSONL"));
    setMinimumWidth(600);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    const ResourceNameRows names =
        addResourceNameRows(form, this, tr("Dataset &ID:"), "datasetIdEdit", "datasetIdHint",
                            tr("e.g. support-chats-v1"));
    m_id = names.id;
    m_idHint = names.idHint;
    m_displayName = names.displayName;
    m_file = new QLineEdit(this);
    m_file->setObjectName(QStringLiteral("fileEdit"));
    m_file->setPlaceholderText(tr("A .jsonl file, one example per line"));
    auto *fileRow = makePathRow(m_file, tr("Dataset file"), QFileDialog::ExistingFile,
                                tr("JSON Lines (*.jsonl);;All files (*)"),
                                [this](const QString &path) { setFile(path); });
    auto *fileBox = new QVBoxLayout;
    fileBox->addLayout(fileRow);
    m_check = makeHintLabel(this, "fileCheckLabel");
    fileBox->addWidget(m_check);
    // A refused line stops this dialog; the wizard lists every problem and drops them, so the
    // file goes there as typed instead of being picked again.
    m_openInWizard =
        new QPushButton(icons::forAction(icons::Action::Wizard), tr("Fix in the dataset &wizard…"));
    m_openInWizard->setObjectName(QStringLiteral("openInWizard"));
    m_openInWizard->hide();
    connect(m_openInWizard, &QPushButton::clicked, this, [this] {
        if (m_running)
            return;
        const QString path = filePath();
        Q_EMIT openInWizard(path);
        QDialog::reject();
    });
    fileBox->addWidget(m_openInWizard, 0, Qt::AlignLeft);
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileBox);
    layout->addLayout(form);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("uploadProgress"));
    m_progress->setRange(0, 1000);
    m_progress->hide();
    layout->addWidget(m_progress);
    m_stage = new QLabel(this);
    m_stage->setObjectName(QStringLiteral("stageLabel"));
    layout->addWidget(m_stage);
    m_error = makeErrorBanner(this);
    layout->addWidget(m_error);
    layout->addStretch();

    layout->addWidget(new CommandEquivalents([this] { return firectlCommand(); },
                                             [this] { return curlCommand(); }, this));
    m_buttons = makeOkCancelButtons(this, tr("C&reate"), icons::Action::New);
    m_delete = m_buttons->addButton(tr("&Delete dataset"), QDialogButtonBox::DestructiveRole);
    m_delete->setIcon(icons::forAction(icons::Action::Delete));
    m_delete->setObjectName(QStringLiteral("deleteDatasetButton"));
    m_delete->setToolTip(tr("Deletes the dataset this dialog created, which has no valid file"));
    m_delete->hide();
    connect(m_delete, &QPushButton::clicked, this, &CreateDatasetDialog::deleteDataset);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CreateDatasetDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &CreateDatasetDialog::reject);
    layout->addWidget(m_buttons);

    connect(m_id, &QLineEdit::textChanged, this, &CreateDatasetDialog::updateButtons);
    connect(m_file, &QLineEdit::textChanged, this, &CreateDatasetDialog::checkFile);
    connect(&m_checkWatcher, &QFutureWatcher<models::JsonlPreview>::finished, this, [this] {
        m_checking = false;
        if (m_checkWatcher.isCanceled())
            return;
        const models::JsonlPreview result = m_checkWatcher.result();
        m_fileOk = result.ok() && !result.rows.isEmpty();
        m_openInWizard->setVisible(result.ioError.isEmpty() && !result.errors.isEmpty());
        const QString path = filePath();
        const qint64 size = QFileInfo(path).size();
        if (!result.ioError.isEmpty())
            m_check->setText(problemHtml().arg(result.ioError.toHtmlEscaped()));
        else if (!result.errors.isEmpty())
            m_check->setText(problemHtml().arg(
                tr("Not valid JSONL: %1").arg(result.errorSummary()).toHtmlEscaped()));
        else if (result.rows.isEmpty())
            m_check->setText(problemHtml().arg(tr("The file has no rows.")));
        else
            m_check->setText(
                (result.reachedEnd
                     ? (result.rows.size() == 1
                            ? tr("1 row, one JSON object · %1")
                            : tr("%1 rows, each one JSON object · %2").arg(result.rows.size()))
                     : tr("The first %1 rows are JSON objects (the platform checks the rest) · %2")
                           .arg(result.rows.size()))
                    .arg(QLocale().formattedDataSize(size))
                    .toHtmlEscaped());
        updateButtons();
    });
    checkFile();
}

CreateDatasetDialog::~CreateDatasetDialog()
{
    if (m_checkCancel)
        *m_checkCancel = true;
    m_checkWatcher.waitForFinished();
}

void CreateDatasetDialog::setFile(const QString &path)
{
    m_file->setText(QDir::toNativeSeparators(path));
}

void CreateDatasetDialog::checkFile()
{
    if (m_checkCancel)
        *m_checkCancel = true;
    m_fileOk = false;
    m_openInWizard->hide();
    const QString path = filePath();
    if (path.isEmpty()) {
        m_check->setText(tr("Pick a JSONL file: one JSON object per line."));
        updateButtons();
        return;
    }
    if (!QFileInfo(path).isFile()) {
        m_check->setText(problemHtml().arg(tr("No such file.")));
        updateButtons();
        return;
    }
    m_check->setText(tr("Checking the first lines…"));
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_checkCancel = cancel;
    m_checking = true;
    m_checkWatcher.setFuture(QtConcurrent::run([path, cancel] {
        return models::JsonlPreview::read(path, kCheckedRows, [cancel] { return bool(*cancel); });
    }));
    updateButtons();
}

void CreateDatasetDialog::updateButtons()
{
    const QString id = m_id->text().trimmed();
    const bool idOk = client::isValidResourceId(id);
    m_idHint->setText(resourceIdHint(id));
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(!m_running && !m_checking && idOk && m_fileOk);
    m_buttons->button(QDialogButtonBox::Cancel)->setText(m_running ? tr("&Cancel") : tr("&Close"));
}

client::Dataset CreateDatasetDialog::datasetFromInput() const
{
    client::Dataset d;
    d.displayName = m_displayName->text().trimmed();
    d.userUploaded = true;
    return d;
}

QString CreateDatasetDialog::filePath() const
{
    return QDir::fromNativeSeparators(m_file->text().trimmed());
}

QString CreateDatasetDialog::firectlCommand() const
{
    QStringList args{QStringLiteral("firectl"), QStringLiteral("create"), QStringLiteral("dataset"),
                     shellQuote(m_id->text().trimmed()), shellQuote(filePath())};
    if (!m_displayName->text().trimmed().isEmpty())
        args << QStringLiteral("--display-name") << shellQuote(m_displayName->text().trimmed());
    if (!m_api->accountId().isEmpty())
        args << QStringLiteral("--account-id") << shellQuote(m_api->accountId());
    return args.join(QLatin1Char(' '));
}

QString CreateDatasetDialog::curlCommand() const
{
    return client::curlCommand(
        m_api->datasets().createRequest(m_id->text().trimmed(), datasetFromInput()));
}

void CreateDatasetDialog::setRunning(bool running)
{
    m_running = running;
    m_id->setReadOnly(running || m_run.created());
    m_displayName->setReadOnly(running || m_run.created());
    m_file->setReadOnly(running);
    updateButtons();
}

void CreateDatasetDialog::showFailure(const QString &what, const client::ApiError &error)
{
    showProblem(error.kind == client::ApiError::Kind::Cancelled ? tr("Upload cancelled.")
                                                                : errorText(what, error),
                errorDetails(error));
}

void CreateDatasetDialog::showRefusal(const client::ApiError &error)
{
    // The platform read the file and said what is wrong with it: that is the message.
    QString reason = error.message.trimmed();
    if (reason.isEmpty())
        reason = tr("it gave no reason");
    showProblem(tr("The platform refused the file: %1").arg(reason), errorDetails(error));
}

void CreateDatasetDialog::showProblem(const QString &message, const QString &details)
{
    m_stage->clear();
    m_progress->hide();
    QString text = message;
    if (m_run.created())
        text += QLatin1Char('\n') +
                tr("The dataset %1 exists and waits for a valid file: fix the file and choose "
                   "\"Upload again\", or delete the dataset.")
                    .arg(m_id->text().trimmed());
    m_error->showError(text, details);
    growToFit();
    if (m_run.created())
        m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Upload again"));
    m_delete->setVisible(m_run.created());
    setRunning(false);
}

void CreateDatasetDialog::growToFit()
{
    // A wrapped message is taller than the layout's minimum says (height for width); a shown
    // dialog does not grow by itself, so the form's rows would be squeezed to a few pixels.
    layout()->activate();
    const int needed = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                     : layout()->totalSizeHint().height();
    if (needed > height())
        resize(width(), needed);
}

void CreateDatasetDialog::deleteDataset()
{
    if (m_running || !m_run.created())
        return;
    const QString id = m_id->text().trimmed();
    m_error->hide();
    m_delete->setEnabled(false);
    m_stage->setText(tr("Deleting the dataset…"));
    setRunning(true);
    auto *call = m_api->datasets().remove(id);
    m_run.track(call);
    connect(call, &client::PendingCallBase::finished, this, [this, call, id] {
        m_delete->setEnabled(true);
        if (!call->result().ok()) {
            showFailure(tr("Deleting the dataset"), call->result().error());
            return;
        }
        m_running = false;
        Q_EMIT datasetDeleted(client::datasetName(m_api->accountId(), id));
        QDialog::reject();
    });
}

void CreateDatasetDialog::start()
{
    if (m_running || !m_fileOk)
        return;
    m_error->hide();
    m_delete->hide();
    setRunning(true);
    m_run.start(
        this,
        [this] {
            m_stage->setText(tr("Creating the dataset…"));
            return m_api->datasets().create(m_id->text().trimmed(), datasetFromInput());
        },
        [this](const client::Dataset &dataset) { Q_EMIT datasetChanged(dataset); },
        [this](const client::ApiError &error) {
            if (error.kind != client::ApiError::Kind::Conflict) {
                showFailure(tr("Creating the dataset"), error);
                return;
            }
            // The ID is the one thing to change: it is selected for typing over.
            showProblem(tr("A dataset with the ID %1 already exists: type another Dataset ID, "
                           "or delete that dataset on the Datasets page first.")
                            .arg(m_id->text().trimmed()),
                        errorDetails(error));
            m_id->setFocus();
            m_id->selectAll();
        },
        [this] { upload(); });
}

void CreateDatasetDialog::upload()
{
    const QString path = filePath();
    const QString id = m_id->text().trimmed();
    m_progress->setValue(0);
    m_progress->show();
    m_stage->setText(tr("Uploading %1…").arg(QFileInfo(path).fileName()));
    if (QFileInfo(path).size() > client::DatasetsClient::kMaxMultipartBytes) {
        auto *flow =
            new client::UploadFlow(m_api, client::UploadFlow::Target::Dataset, id, {path}, this);
        m_run.track(flow);
        flow->setPollIntervalMs(500);
        connect(flow, &client::UploadFlow::totalProgress, this, [this](qint64 sent, qint64 total) {
            if (total > 0)
                m_progress->setValue(int(sent * 1000 / total));
        });
        connect(flow, &client::UploadFlow::signedUrlsRenewed, this, [this](const QString &name) {
            m_stage->setText(tr("The upload link had expired: sending %1 again from its start "
                                "with a fresh one…")
                                 .arg(name));
        });
        auto validating = std::make_shared<bool>(false);
        connect(flow, &client::UploadFlow::stageChanged, this,
                [this, validating](client::UploadFlow::Stage s) {
                    if (s != client::UploadFlow::Stage::Validating)
                        return;
                    *validating = true;
                    m_stage->setText(tr("The platform is validating the file…"));
                });
        connect(flow, &client::UploadFlow::finished, this, [this, flow, validating](bool ok) {
            flow->deleteLater();
            if (!ok) {
                const client::ApiError &e = *flow->error();
                if (*validating && e.kind == client::ApiError::Kind::InvalidArgument)
                    showRefusal(e);
                else
                    showFailure(tr("Uploading the dataset"), e);
                fetchResult(); // the row shows the server's status too
                return;
            }
            Q_EMIT datasetChanged(flow->dataset());
            m_running = false;
            accept();
        });
        flow->start();
        return;
    }
    auto *call = m_api->datasets().upload(id, path);
    m_run.track(call);
    connect(call, &client::PendingCallBase::progress, this, [this](qint64 sent, qint64 total) {
        if (total > 0)
            m_progress->setValue(int(sent * 1000 / total));
    });
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        if (!call->result().ok()) {
            showFailure(tr("Uploading the dataset"), call->result().error());
            return;
        }
        m_progress->setValue(1000);
        m_stage->setText(tr("Reading the platform's validation…"));
        fetchResult();
    });
}

void CreateDatasetDialog::fetchResult()
{
    auto *get = m_api->datasets().get(m_id->text().trimmed());
    if (m_running)
        m_run.track(get);
    connect(get, &client::PendingCallBase::finished, this, [this, get] {
        if (!get->result().ok()) {
            if (m_running)
                showFailure(tr("Reading the dataset"), get->result().error());
            return;
        }
        const client::Dataset &d = get->result().value();
        Q_EMIT datasetChanged(d);
        if (!m_running)
            return;
        if (d.status.isError()) {
            client::ApiError e =
                client::ApiError::make(client::ApiError::Kind::InvalidArgument, d.status.message);
            e.grpcCode = d.status.code;
            showRefusal(e);
            return;
        }
        // READY, or still validating: the page polls the row from here.
        m_running = false;
        accept();
    });
}

void CreateDatasetDialog::reject()
{
    if (m_running) {
        m_run.abort(); // the handlers report the cancellation; the dialog stays for it
        return;
    }
    QDialog::reject();
}

} // namespace ui
