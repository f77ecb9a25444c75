#include "datasetpreviewdialog.h"

#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/playgroundreplay.h>

#include <models/chatreplay.h>

#include <client/downloadflow.h>
#include <client/states.h>
#include <widgets/errorbanner.h>
#include <widgets/jsonview.h>

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace ui {

DatasetPreviewDialog::DatasetPreviewDialog(client::ApiClient *api, QString datasetName,
                                           QWidget *parent)
    : QDialog(parent), m_api(api), m_name(std::move(datasetName))
{
    setObjectName(QStringLiteral("datasetPreviewDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Preview of %1").arg(client::resourceId(m_name)));
    resize(900, 600);
    auto *layout = new QVBoxLayout(this);
    m_status = new QLabel(tr("Downloading…"), this);
    m_status->setObjectName(QStringLiteral("previewStatus"));
    layout->addWidget(m_status);
    m_error = makeErrorBanner(this);
    layout->addWidget(m_error);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table = new QTableWidget(0, 2, splitter);
    m_table->setObjectName(QStringLiteral("previewTable"));
    m_table->setHorizontalHeaderLabels({tr("Line"), tr("Row")});
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTabKeyNavigation(false);
    m_json = new widgets::JsonView(widgets::JsonView::Mode::Text, splitter);
    m_json->setObjectName(QStringLiteral("rowJson"));
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_openInPlayground = buttons->addButton(tr("Open in playground"), QDialogButtonBox::ActionRole);
    m_openInPlayground->setObjectName(QStringLiteral("previewOpenInPlayground"));
    m_openInPlayground->setEnabled(false);
    connect(m_openInPlayground, &QPushButton::clicked, this,
            &DatasetPreviewDialog::openInPlayground);
    connect(buttons, &QDialogButtonBox::rejected, this, &DatasetPreviewDialog::reject);
    layout->addWidget(buttons);

    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) {
        m_json->setJson(row >= 0 && row < m_preview.rows.size() ? m_preview.rows[row].json
                                                                : QByteArray("{}"));
        updateOpenInPlayground();
    });
    connect(&m_watcher, &QFutureWatcher<models::JsonlPreview>::finished, this, [this] {
        if (!m_watcher.isCanceled())
            showRows(m_watcher.result());
    });
}

DatasetPreviewDialog::~DatasetPreviewDialog()
{
    m_watcher.waitForFinished(); // reads a temporary file that goes with this dialog
}

void DatasetPreviewDialog::start()
{
    if (!m_tmp.isValid()) {
        m_error->showError(tr("Cannot create a temporary folder for the preview."));
        return;
    }
    // The first file only: a preview needs the first rows, not every part of the dataset.
    m_flow = new client::DownloadFlow(m_api, client::DownloadFlow::Target::Dataset, m_name,
                                      m_tmp.path(), this);
    m_flow->setMaxFiles(1);
    connect(m_flow, &client::DownloadFlow::fileProgress, this,
            [this](const QString &file, qint64 received, qint64 total) {
                m_status->setText(
                    total > 0 ? tr("Downloading %1… %2%").arg(file).arg(received * 100 / total)
                              : tr("Downloading %1…").arg(file));
            });
    connect(m_flow, &client::DownloadFlow::finished, this, [this](bool ok) {
        client::DownloadFlow *flow = m_flow;
        m_flow = nullptr;
        flow->deleteLater();
        if (!ok) {
            const client::ApiError &e = *flow->error();
            m_status->clear();
            if (e.kind == client::ApiError::Kind::Cancelled)
                m_status->setText(tr("Preview cancelled."));
            else
                m_error->showError(errorText(tr("Downloading the dataset"), e), errorDetails(e));
            return;
        }
        const QString path = flow->savedPaths().value(0);
        m_status->setText(tr("Reading the first rows…"));
        m_watcher.setFuture(
            QtConcurrent::run([path] { return models::JsonlPreview::read(path, kRows); }));
    });
    m_flow->start();
}

void DatasetPreviewDialog::showRows(const models::JsonlPreview &preview)
{
    m_preview = preview;
    m_table->setRowCount(int(preview.rows.size()));
    for (int i = 0; i < preview.rows.size(); ++i) {
        auto *line = new QTableWidgetItem(QString::number(preview.rows[i].line));
        line->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(i, 0, line);
        m_table->setItem(i, 1, new QTableWidgetItem(preview.rows[i].summary));
    }
    m_table->resizeColumnToContents(0);
    QString text = preview.reachedEnd ? tr("All %1 rows of the file.").arg(preview.rows.size())
                                      : tr("The first %1 rows.").arg(preview.rows.size());
    if (!preview.errors.isEmpty())
        text += QLatin1Char(' ') + tr("Not JSON: %1").arg(preview.errorSummary());
    m_status->setText(text);
    if (!preview.ioError.isEmpty())
        m_error->showError(preview.ioError);
    if (!preview.rows.isEmpty())
        m_table->setCurrentCell(0, 1);
}

void DatasetPreviewDialog::updateOpenInPlayground()
{
    const int row = m_table->currentRow();
    QString why;
    const bool ok = row >= 0 && row < m_preview.rows.size() &&
                    models::datasetRowTurns(m_preview.rows[row].json, &why).has_value();
    m_openInPlayground->setEnabled(ok);
    m_openInPlayground->setToolTip(
        ok ? tr("A new playground conversation with this row's turns up to its last user turn, "
                "ready to send to any target; the row's own answer is shown beside it")
           : why);
}

void DatasetPreviewDialog::openInPlayground()
{
    const int row = m_table->currentRow();
    if (row < 0 || row >= m_preview.rows.size())
        return;
    const auto turns = models::datasetRowTurns(m_preview.rows[row].json);
    if (!turns)
        return;
    PlaygroundReplay *replay = PlaygroundReplay::of(this);
    if (!replay) {
        m_status->setText(tr("The playground is not part of this window."));
        return;
    }
    Q_EMIT replay->requested(models::datasetRowReplayTitle(m_name, m_preview.rows[row].line),
                             *turns);
    QDialog::accept(); // the window shows the Playground; this dialog would stand in front
}

void DatasetPreviewDialog::reject()
{
    if (m_flow) {
        m_flow->abort();
        return;
    }
    QDialog::reject();
}

} // namespace ui
