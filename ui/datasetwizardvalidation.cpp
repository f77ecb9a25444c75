// The wizard's Validation step: every problem of the source (and its eval file) streamed into a
// table while the check runs on a worker, a filter, and the viewer of a problem's record.

#include "datasetwizardpages.h"

#include "datasetwizardproblemmodel.h"

#include <dataset/linetext.h>
#include <ui/icons.h>

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace ui {

DatasetValidationPage::DatasetValidationPage(DatasetWizardState &state) : m_state(state)
{
    setTitle(tr("Validation"));
    setSubTitle(tr("Every example against the platform's rules, plus what it would only say "
                   "after the upload. Enter or a double click shows the example a problem is "
                   "in."));
    auto *layout = new QVBoxLayout(this);
    auto *progressRow = new QHBoxLayout;
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_cancel = new QPushButton(icons::forAction(icons::Action::Cancel), tr("&Cancel check"));
    m_rerun = new QPushButton(icons::forAction(icons::Action::Refresh), tr("Check a&gain"));
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    progressRow->addWidget(m_rerun);
    layout->addLayout(progressRow);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    auto *filterRow = new QHBoxLayout;
    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter problems (line, field, words, rule)"));
    m_filter->setClearButtonEnabled(true);
    m_severity = new QComboBox;
    m_severity->addItem(tr("Errors and warnings"), int(DatasetProblemFilter::Show::All));
    m_severity->addItem(tr("Errors only"), int(DatasetProblemFilter::Show::Errors));
    m_severity->addItem(tr("Warnings only"), int(DatasetProblemFilter::Show::Warnings));
    auto *filterLabel = new QLabel(tr("&Filter:"));
    filterLabel->setBuddy(m_filter);
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_severity);
    layout->addLayout(filterRow);
    m_model = new DatasetProblemModel(this);
    m_proxy = new DatasetProblemFilter(this);
    m_proxy->setSourceModel(m_model);
    m_view = new QTableView;
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(DatasetProblemModel::MessageColumn,
                                                     QHeaderView::Stretch);
    m_view->setWordWrap(false);
    layout->addWidget(m_view, 1);
    // In place of the table once a check found nothing: an empty table under a filter looked
    // like a list that failed to fill.
    m_noProblems = new QLabel;
    m_noProblems->setObjectName(QStringLiteral("noProblems"));
    m_noProblems->setWordWrap(true);
    m_noProblems->setAlignment(Qt::AlignCenter);
    m_noProblems->setFrameShape(QFrame::StyledPanel);
    m_noProblems->hide();
    layout->addWidget(m_noProblems, 1);

    connect(&m_task, &BackgroundTask::progress, m_progress, &QProgressBar::setValue);
    connect(m_cancel, &QPushButton::clicked, this, &DatasetValidationPage::cancel);
    connect(m_rerun, &QPushButton::clicked, this, &DatasetValidationPage::start);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setShow(DatasetProblemFilter::Show(m_severity->currentData().toInt()));
    });
    // A double click opens the line; Enter is taken in eventFilter() so that it opens the line
    // instead of also pressing the wizard's default button (Next).
    connect(m_view, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { openProblem(index.row()); });
    m_view->installEventFilter(this);
}

bool DatasetValidationPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && m_view->currentIndex().isValid()) {
            openProblem(m_view->currentIndex().row());
            return true;
        }
    }
    return QWizardPage::eventFilter(watched, event);
}

void DatasetValidationPage::initializePage()
{
    if (!m_state.report || m_state.report->cancelled)
        start();
    else
        showReport();
}

void DatasetValidationPage::cleanupPage()
{
    cancel();
}

bool DatasetValidationPage::isComplete() const
{
    return m_done && !m_task.isRunning();
}

void DatasetValidationPage::start()
{
    m_done = false;
    Q_EMIT completeChanged();
    m_model->setProblems({});
    showNoProblems(false);
    // Which file a problem is in says something only when there are two.
    m_view->setColumnHidden(DatasetProblemModel::FileColumn, m_state.evalPath.isEmpty());
    m_progress->setValue(0);
    m_cancel->setEnabled(true);
    m_rerun->setEnabled(false);
    m_summary->setText(tr("Checking %1…").arg(QFileInfo(m_state.path).fileName()));
    auto result = std::make_shared<dataset::Report>();
    dataset::ValidationOptions options;
    options.format = m_state.format;
    options.source = m_state.source;
    options.csv = m_state.csv;
    options.evalPath = m_state.evalPath.toStdString();
    // The list fills as the scan finds problems: the worker queues them and posts one drain
    // at a time, so a file with thousands of problems does not flood the event loop.
    m_queue = std::make_shared<ProblemQueue>();
    QPointer<DatasetValidationPage> self(this);
    options.onProblem = [queue = m_queue, self](const dataset::Problem &p, bool eval) {
        {
            const std::lock_guard<std::mutex> lock(queue->mutex);
            queue->rows.push_back({p, eval});
        }
        if (!queue->drainPosted.exchange(true))
            QMetaObject::invokeMethod(
                self.data(),
                [self, queue] {
                    if (self && queue == self->m_queue)
                        self->drainProblems();
                },
                Qt::QueuedConnection);
    };
    const std::string path = m_state.path.toStdString();
    m_task.start(
        [options, path, result](const std::atomic<bool> &cancel,
                                std::function<void(uint64_t, uint64_t)> progress) mutable {
            options.cancel = &cancel;
            options.progress = std::move(progress);
            *result = dataset::validate(path, options);
        },
        [this, result] {
            drainProblems();
            m_queue.reset();
            m_state.report = std::move(*result);
            showReport();
            Q_EMIT finished();
        });
}

void DatasetValidationPage::drainProblems()
{
    if (!m_queue)
        return;
    std::vector<DatasetProblemModel::Row> rows;
    {
        const std::lock_guard<std::mutex> lock(m_queue->mutex);
        rows.swap(m_queue->rows);
        m_queue->drainPosted = false;
    }
    const bool first = m_model->rowCount() == 0 && !rows.empty();
    m_model->appendProblems(std::move(rows));
    if (first) {
        m_view->resizeColumnToContents(DatasetProblemModel::SeverityColumn);
        m_view->resizeColumnToContents(DatasetProblemModel::LineColumn);
    }
    if (m_task.isRunning())
        m_summary->setText(tr("Checking %1… %2 problems so far.")
                               .arg(QFileInfo(m_state.path).fileName())
                               .arg(m_model->rowCount()));
}

void DatasetValidationPage::cancel()
{
    m_task.cancel();
}

void DatasetValidationPage::showReport()
{
    m_cancel->setEnabled(false);
    m_rerun->setEnabled(true);
    const dataset::Report &r = *m_state.report;
    // The streamed rows are the report's problems in the same order; they stay (and with
    // them the person's selection) unless the count says otherwise (the page shown again).
    const std::size_t stored = r.train.problems.size() + (r.eval ? r.eval->problems.size() : 0);
    if (std::size_t(m_model->rowCount()) != stored) {
        std::vector<DatasetProblemModel::Row> rows;
        for (const auto &p : r.train.problems)
            rows.push_back({p, false});
        if (r.eval)
            for (const auto &p : r.eval->problems)
                rows.push_back({p, true});
        m_model->setProblems(std::move(rows));
    }
    m_view->resizeColumnToContents(DatasetProblemModel::SeverityColumn);
    m_view->resizeColumnToContents(DatasetProblemModel::LineColumn);
    m_view->resizeColumnToContents(DatasetProblemModel::FieldColumn);
    if (r.cancelled) {
        m_summary->setText(tr("Cancelled after %1. Check again to see every problem.")
                               .arg(recordCount(r.train.source, r.train.records)));
        m_done = false;
        Q_EMIT completeChanged();
        return;
    }
    m_progress->setValue(1000);
    showNoProblems(stored == 0);
    const dataset::FileReport &t = r.train;
    // "1 warning", not "1 warnings" (the summary shows in the README's screenshot).
    const auto errors = [](uint64_t n) {
        return n == 1 ? tr("1 error") : tr("%1 errors").arg(groupedNumber(n));
    };
    const auto warnings = [](uint64_t n) {
        return n == 1 ? tr("1 warning") : tr("%1 warnings").arg(groupedNumber(n));
    };
    const auto duplicates = [](uint64_t n) {
        return n == 1 ? tr("1 duplicate") : tr("%1 duplicates").arg(groupedNumber(n));
    };
    QString text = tr("%1 examples checked as %2: %3, %4, %5.")
                       .arg(groupedNumber(t.examples), qs(dataset::formatDisplayName(t.checkedAs)),
                            errors(t.errors), warnings(t.warnings), duplicates(t.duplicates));
    if (r.eval)
        text += QLatin1Char(' ') + tr("Eval file: %1 examples, %2, %3.")
                                       .arg(groupedNumber(r.eval->examples), errors(r.eval->errors),
                                            warnings(r.eval->warnings));
    text += QLatin1Char(' ') + verdict(r);
    m_summary->setText(text);
    m_done = true;
    Q_EMIT completeChanged();
}

void DatasetValidationPage::showNoProblems(bool none)
{
    if (none) {
        const QString train = QFileInfo(m_state.path).fileName();
        m_noProblems->setText(
            m_state.evalPath.isEmpty()
                ? tr("No problem in %1: no error, no warning, no duplicate.").arg(train)
                : tr("No problem in %1 or %2: no error, no warning, no duplicate, and no "
                     "example in both.")
                      .arg(train, QFileInfo(m_state.evalPath).fileName()));
    }
    m_noProblems->setVisible(none);
    m_view->setVisible(!none);
    // Nothing to filter.
    m_filter->setEnabled(!none);
    m_severity->setEnabled(!none);
}

QString DatasetValidationPage::verdict(const dataset::Report &r)
{
    const dataset::FileReport &t = r.train;
    if (!r.accepted() && t.examples == 0 && !t.ioFailed)
        return tr("The file holds no example: there is nothing to upload.");
    // Refused for the file as a whole (a byte order mark, too few examples), not for a line:
    // "drop the invalid lines" would drop nothing, or the examples it is short of.
    if (!r.accepted() && t.examplesWithErrors == 0 && (!r.eval || r.eval->examplesWithErrors == 0))
        return t.errors > 0 && t.errors == t.count(dataset::Rule::Bom) &&
                       (!r.eval || r.eval->accepted())
                   ? tr("The platform would refuse it for its byte order mark alone: Fix & "
                        "split writes a copy without it.")
                   : tr("The platform would refuse the file as a whole, not for any of its "
                        "lines, so dropping lines does not help: the problems on the whole "
                        "file say why.");
    if (!r.accepted() && t.examples > 0 && t.examplesWithErrors == t.examples)
        // "Drop the invalid lines" would leave an empty file.
        return tr("Every example has an error the platform refuses, so dropping them would leave "
                  "nothing: correct the file (the first problem says what is wrong).");
    switch (t.source) {
    case dataset::SourceKind::PromptCompletion:
        return r.accepted() ? tr("The platform would accept its lines once Fix & split writes "
                                 "them as chat messages, the one format it trains on.")
                            : tr("The platform would refuse some lines: Fix & split writes the "
                                 "others as chat messages, the one format it trains on.");
    case dataset::SourceKind::Csv:
    case dataset::SourceKind::JsonArray:
        // Never goes up as it is: the platform reads JSONL.
        return r.accepted() ? tr("The platform would accept its rows once Fix & split writes "
                                 "them as JSONL, the one format it reads.")
                            : tr("The platform would refuse some rows: Fix & split writes the "
                                 "others as JSONL, the one format it reads.");
    case dataset::SourceKind::Jsonl:
    case dataset::SourceKind::Auto:
        break;
    }
    return r.accepted() ? tr("The platform would accept it.")
                        : tr("The platform would refuse it as it is: drop the invalid lines in "
                             "Fix & split.");
}

void DatasetValidationPage::openProblem(int proxyRow)
{
    const QModelIndex source = m_proxy->mapToSource(m_proxy->index(proxyRow, 0));
    if (!source.isValid())
        return;
    const DatasetProblemModel::Row &row = m_model->row(source.row());
    const dataset::Problem &p = row.problem;
    const QString file = row.eval ? m_state.evalPath : m_state.path;
    const QString fileName = QFileInfo(file).fileName();
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("problemLine"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Which file too: with an eval file the same line number is in both.
    dialog->setWindowTitle(
        !p.line ? tr("%1, the whole file").arg(fileName)
                : tr("%1, %2").arg(fileName, DatasetProblemModel::where(p.line, p.row)));
    auto *layout = new QVBoxLayout(dialog);
    auto *what = new QLabel(p.field.empty() ? QString::fromStdString(p.message)
                                            : tr("%1: %2").arg(QString::fromStdString(p.field),
                                                               QString::fromStdString(p.message)));
    what->setWordWrap(true);
    layout->addWidget(what);
    if (p.line) {
        // The whole record: a CSV row or a JSON array element can span many lines.
        const dataset::SourceKind kind =
            row.eval ? dataset::guessSourceKind(file.toStdString()) : m_state.sourceKind();
        const std::string line = dataset::readRecordAt(file.toStdString(), kind, p.offset);
        const QString shown = QString::fromStdString(dataset::indentJson(line));
        auto *text = new QPlainTextEdit(shown.trimmed().isEmpty() ? QString() : shown);
        // A blank line (its spaces at most) would be an empty box that looks like a failed read.
        text->setPlaceholderText(tr("The line is empty: nothing but spaces or tabs, if that."));
        text->setReadOnly(true);
        text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        text->setMinimumSize(640, shown.trimmed().isEmpty() ? 80 : 360);
        layout->addWidget(text);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog->open();
}

} // namespace ui
