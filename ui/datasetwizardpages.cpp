// The wizard's first three steps: Source, Format and Validation (and BackgroundTask).

#include "datasetwizardpages.h"

#include "datasetwizardproblemmodel.h"

#include <dataset/linetext.h>
#include <ui/icons.h>

#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
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
#include <QtConcurrent>

#include <algorithm>

namespace ui {

QString groupedNumber(uint64_t n)
{
    return QString::fromStdString(dataset::groupThousands(n));
}

namespace {

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

QString recordCount(dataset::SourceKind source, uint64_t n)
{
    // English plurals written out: Firedeck ships no translations to resolve %n forms.
    switch (source) {
    case dataset::SourceKind::Csv:
        return n == 1 ? DatasetFormatPage::tr("1 row")
                      : DatasetFormatPage::tr("%1 rows").arg(groupedNumber(n));
    case dataset::SourceKind::JsonArray:
        return n == 1 ? DatasetFormatPage::tr("1 element")
                      : DatasetFormatPage::tr("%1 elements").arg(groupedNumber(n));
    case dataset::SourceKind::Jsonl:
    case dataset::SourceKind::PromptCompletion:
    case dataset::SourceKind::Auto:
        break;
    }
    return n == 1 ? DatasetFormatPage::tr("1 line")
                  : DatasetFormatPage::tr("%1 lines").arg(groupedNumber(n));
}

BackgroundTask::BackgroundTask(QObject *parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, [this] {
        auto done = std::move(m_done);
        m_done = nullptr;
        if (done)
            done();
    });
}

BackgroundTask::~BackgroundTask()
{
    cancel();
    m_watcher.waitForFinished();
}

void BackgroundTask::start(
    std::function<void(const std::atomic<bool> &, std::function<void(uint64_t, uint64_t)>)> work,
    std::function<void()> done)
{
    cancel();
    m_watcher.waitForFinished();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_done = std::move(done);
    auto cancelFlag = m_cancel;
    // Queued to the GUI thread; this object outlives the job (the destructor waits), and a
    // queued call to a deleted receiver is dropped.
    auto report = [this](uint64_t done, uint64_t total) {
        const int permille = total ? int(done * 1000 / total) : 0;
        QMetaObject::invokeMethod(
            this, [this, permille] { Q_EMIT progress(permille); }, Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run(
        [work = std::move(work), cancelFlag, report] { work(*cancelFlag, report); }));
}

void BackgroundTask::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

// --- Source

DatasetSourcePage::DatasetSourcePage(DatasetWizardState &state) : m_state(state)
{
    setTitle(tr("Source"));
    setSubTitle(tr("A JSONL file, a JSON array file, or a CSV whose columns become messages. "
                   "The file is only read; nothing is ever written to it."));
    auto *form = new QFormLayout(this);
    m_file = new QLineEdit;
    auto *browse = new QPushButton(icons::forAction(icons::Action::Browse), tr("&Browse…"));
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    auto *fileLabel = new QLabel(tr("&File:")); // a label for a layout has no buddy by itself
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileRow);
    m_kind = new QComboBox;
    m_kind->addItem(tr("Detect from the file"), int(dataset::SourceKind::Auto));
    m_kind->addItem(tr("JSONL (one JSON object per line)"), int(dataset::SourceKind::Jsonl));
    m_kind->addItem(tr("JSON array"), int(dataset::SourceKind::JsonArray));
    m_kind->addItem(tr("CSV with a header row"), int(dataset::SourceKind::Csv));
    m_kind->addItem(tr("JSONL with \"prompt\" and \"completion\" (made into messages)"),
                    int(dataset::SourceKind::PromptCompletion));
    form->addRow(tr("&Read as:"), m_kind);
    // Editable: the header's columns to pick from once a CSV is chosen, or a name typed.
    auto columnCombo = [](const std::string &name) {
        auto *combo = new QComboBox;
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        combo->setEditText(QString::fromStdString(name));
        return combo;
    };
    m_prompt = columnCombo(state.csv.prompt);
    m_completion = columnCombo(state.csv.completion);
    m_system = columnCombo(state.csv.system);
    m_prompt->setObjectName(QStringLiteral("csvPromptColumn"));
    m_completion->setObjectName(QStringLiteral("csvCompletionColumn"));
    m_system->setObjectName(QStringLiteral("csvSystemColumn"));
    m_system->lineEdit()->setPlaceholderText(tr("none: no system message"));
    form->addRow(tr("CSV column for the &user message:"), m_prompt);
    form->addRow(tr("CSV column for the &assistant answer:"), m_completion);
    form->addRow(tr("CSV column for the s&ystem message:"), m_system);
    m_eval = new QLineEdit;
    m_eval->setPlaceholderText(tr("optional: checked in the same format and for shared examples"));
    auto *browseEval = new QPushButton(icons::forAction(icons::Action::Browse), tr("Bro&wse…"));
    browseEval->setObjectName(QStringLiteral("browseEval"));
    auto *evalRow = new QHBoxLayout;
    evalRow->addWidget(m_eval, 1);
    evalRow->addWidget(browseEval);
    auto *evalLabel = new QLabel(tr("&Eval file:"));
    evalLabel->setBuddy(m_eval);
    form->addRow(evalLabel, evalRow);
    connect(browseEval, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Eval file"), m_eval->text().isEmpty() ? m_file->text() : m_eval->text(),
            tr("Datasets (*.jsonl *.json *.csv);;All files (*)"));
        if (!path.isEmpty())
            m_eval->setText(path);
    });
    m_hint = new QLabel;
    m_hint->setWordWrap(true);
    form->addRow(m_hint);
    connect(browse, &QPushButton::clicked, this, &DatasetSourcePage::browse);
    connect(m_file, &QLineEdit::textChanged, this, [this] {
        updateKind();
        Q_EMIT completeChanged();
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, &DatasetSourcePage::updateKind);
    updateKind();
}

void DatasetSourcePage::setFile(const QString &path)
{
    m_file->setText(path);
}

void DatasetSourcePage::browse()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Dataset file"), m_file->text(),
                                     tr("Datasets (*.jsonl *.json *.csv);;All files (*)"));
    if (!path.isEmpty())
        m_file->setText(path);
}

void DatasetSourcePage::updateKind()
{
    auto kind = dataset::SourceKind(m_kind->currentData().toInt());
    const QString path = m_file->text().trimmed();
    if (kind == dataset::SourceKind::Auto && QFileInfo(path).isFile())
        kind = dataset::guessSourceKind(path.toStdString());
    const bool csv = kind == dataset::SourceKind::Csv;
    m_prompt->setEnabled(csv);
    m_completion->setEnabled(csv);
    m_system->setEnabled(csv);
    const QFileInfo info(path);
    if (csv && info.isFile())
        readCsvHeader(path);
    if (path.isEmpty())
        m_hint->setText(tr("Pick the training file."));
    else if (info.isDir())
        m_hint->setText(tr("%1 is a folder. Pick the training file in it (JSONL, JSON or CSV).")
                            .arg(QDir::toNativeSeparators(path)));
    else if (!info.isFile())
        m_hint->setText(tr("There is no file at %1.").arg(QDir::toNativeSeparators(path)));
    else if (csv && !m_headerError.isEmpty())
        m_hint->setText(tr("%1: %2.").arg(info.fileName(), m_headerError));
    else if (csv)
        m_hint->setText(tr("%1, %2 bytes, read as CSV. Its columns: %3.")
                            .arg(info.fileName(), groupedNumber(uint64_t(info.size())),
                                 m_header.join(QStringLiteral(", "))));
    else if (kind == dataset::SourceKind::PromptCompletion)
        m_hint->setText(tr("%1, %2 bytes, read as JSONL with \"prompt\" and \"completion\": "
                           "each line becomes a user and an assistant message, as the platform "
                           "trains on chat messages only.")
                            .arg(info.fileName(), groupedNumber(uint64_t(info.size()))));
    else
        m_hint->setText(tr("%1, %2 bytes, read as %3.")
                            .arg(info.fileName(), groupedNumber(uint64_t(info.size())),
                                 qs(dataset::sourceKindName(kind))));
}

void DatasetSourcePage::readCsvHeader(const QString &path)
{
    const QDateTime modified = QFileInfo(path).lastModified();
    if (path == m_headerOf && modified == m_headerModified)
        return;
    m_headerOf = path;
    m_headerModified = modified;
    std::string error;
    const std::vector<std::string> header = dataset::readCsvHeader(path.toStdString(), &error);
    m_headerError = QString::fromStdString(error);
    m_header.clear();
    for (const std::string &name : header)
        m_header << QString::fromStdString(name);
    // Offered in each column box; the names a spreadsheet's header most likely means
    // (question → user, answer → assistant) chosen, so a header not called prompt/completion
    // needs no typing.
    const dataset::CsvMapping guess = dataset::guessCsvMapping(header);
    const auto inHeader = [this](const std::string &name) {
        return m_header.contains(QString::fromStdString(name), Qt::CaseInsensitive);
    };
    for (const auto &[combo, name] :
         {std::pair{m_prompt, guess.prompt}, std::pair{m_completion, guess.completion},
          std::pair{m_system, guess.system}}) {
        combo->clear();
        combo->addItems(m_header);
        // A system column the header does not have is left empty, not shown as "system".
        combo->setEditText(combo == m_system && !inHeader(name) ? QString()
                                                                : QString::fromStdString(name));
    }
}

QString DatasetSourcePage::missingCsvColumn() const
{
    for (QComboBox *combo : {m_prompt, m_completion}) {
        const QString name = combo->currentText().trimmed();
        const bool found = std::any_of(m_header.begin(), m_header.end(), [&](const QString &c) {
            return c.compare(name, Qt::CaseInsensitive) == 0;
        });
        if (!found)
            return name.isEmpty()
                       ? tr("Pick the CSV column for the %1.")
                             .arg(combo == m_prompt ? tr("user message") : tr("assistant answer"))
                       : tr("The CSV header has no column \"%1\". Its columns: %2.")
                             .arg(name, m_header.join(QStringLiteral(", ")));
    }
    return {};
}

bool DatasetSourcePage::isComplete() const
{
    return QFileInfo(m_file->text().trimmed()).isFile();
}

bool DatasetSourcePage::validatePage()
{
    const QString eval = m_eval->text().trimmed();
    if (!eval.isEmpty() && !QFileInfo(eval).isFile()) {
        m_hint->setText(
            QFileInfo(eval).isDir()
                ? tr("The eval file %1 is a folder. Pick the eval file in it.")
                      .arg(QDir::toNativeSeparators(eval))
                : tr("There is no eval file at %1.").arg(QDir::toNativeSeparators(eval)));
        return false;
    }
    const QString path = m_file->text().trimmed();
    const auto source = dataset::SourceKind(m_kind->currentData().toInt());
    const bool csvFile =
        (source == dataset::SourceKind::Auto ? dataset::guessSourceKind(path.toStdString())
                                             : source) == dataset::SourceKind::Csv;
    if (csvFile) {
        readCsvHeader(path);
        // Without its columns every row would be refused further on, with no row to show.
        const QString problem =
            m_headerError.isEmpty() ? missingCsvColumn() : tr("%1.").arg(m_headerError);
        if (!problem.isEmpty()) {
            m_hint->setText(problem);
            return false;
        }
    }
    dataset::CsvMapping csv = m_state.csv;
    csv.prompt = m_prompt->currentText().trimmed().toStdString();
    csv.completion = m_completion->currentText().trimmed().toStdString();
    csv.system = m_system->currentText().trimmed().toStdString();
    // Another file (or the same read differently): the report and the token counts were of the
    // old rows, Fix & split would drop lines by their numbers, and its files are of the old ones.
    if (path != m_state.path || source != m_state.source || csv.prompt != m_state.csv.prompt ||
        csv.completion != m_state.csv.completion || csv.system != m_state.csv.system ||
        eval != m_state.evalPath)
        m_state.forgetResults();
    m_state.path = path;
    m_state.source = source;
    m_state.csv = csv;
    m_state.evalPath = eval;
    return true;
}

// --- Format

DatasetFormatPage::DatasetFormatPage(DatasetWizardState &state) : m_state(state)
{
    setTitle(tr("Format"));
    setSubTitle(tr("What the rows look like, and the format the file is checked as."));
    auto *form = new QFormLayout(this);
    m_detected = new QLabel;
    m_detected->setWordWrap(true);
    form->addRow(tr("Detected:"), m_detected);
    m_evidence = new QLabel;
    m_evidence->setWordWrap(true);
    m_evidence->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Evidence:"), m_evidence);
    m_format = new QComboBox;
    for (dataset::Format f : {dataset::Format::SftChat, dataset::Format::SftVision,
                              dataset::Format::Dpo, dataset::Format::Rft, dataset::Format::Batch})
        m_format->addItem(qs(dataset::formatDisplayName(f)), int(f));
    form->addRow(tr("&Check as:"), m_format);
}

void DatasetFormatPage::initializePage()
{
    // The first 1,000 records: quick, and enough to see the format; the validation step
    // tallies the evidence over the whole file.
    m_state.sniff =
        dataset::sniffFormat(m_state.path.toStdString(), m_state.source, m_state.csv, 1000);
    const dataset::Sniff &s = m_state.sniff;
    if (!s.error.empty()) {
        m_detected->setText(QString::fromStdString(s.error));
        m_evidence->clear();
        return;
    }
    // Counted in what the source is made of: a spreadsheet's rows, a JSON array's elements.
    const QString where = s.reachedEnd
                              ? tr("in the whole file (%1)").arg(recordCount(s.source, s.records))
                              : tr("in the first %1").arg(recordCount(s.source, s.records));
    m_detected->setText(s.format == dataset::Format::Unknown
                            ? tr("no known format %1; pick one").arg(where)
                            : tr("%1, %2").arg(qs(dataset::formatDisplayName(s.format)), where));
    QString evidence = QString::fromStdString(
        dataset::describeEvidence(s.evidence, dataset::recordNoun(s.source)));
    if (s.source == dataset::SourceKind::Csv)
        // The rows hold no "messages" themselves: say where they come from, and how a row is
        // found again (a quoted value with line breaks puts later rows on later lines).
        evidence = tr("Each row becomes \"messages\" from its columns: %1 (user), %2 "
                      "(assistant)%3. %4.\nRows are numbered as a spreadsheet shows them, the "
                      "header being row 1; a problem names the line of the file where its row "
                      "starts, and the row too where a value with line breaks makes the two "
                      "differ.")
                       .arg(QString::fromStdString(m_state.csv.prompt),
                            QString::fromStdString(m_state.csv.completion),
                            m_state.csv.system.empty()
                                ? QString()
                                : tr(", %1 (system, where the row has one)")
                                      .arg(QString::fromStdString(m_state.csv.system)),
                            evidence.left(1).toUpper() + evidence.mid(1));
    if (s.source == dataset::SourceKind::PromptCompletion)
        evidence = tr("Each line's \"prompt\" and \"completion\" become \"messages\" (user, "
                      "assistant), as the platform trains on chat messages only. %1.")
                       .arg(evidence.left(1).toUpper() + evidence.mid(1));
    m_evidence->setText(evidence);
    chooseFormat(s.format == dataset::Format::Unknown ? dataset::Format::SftChat : s.format);
}

void DatasetFormatPage::chooseFormat(dataset::Format format)
{
    const int i = m_format->findData(int(format));
    if (i >= 0)
        m_format->setCurrentIndex(i);
}

dataset::Format DatasetFormatPage::chosenFormat() const
{
    return dataset::Format(m_format->currentData().toInt());
}

bool DatasetFormatPage::validatePage()
{
    if (m_state.format != chosenFormat())
        m_state.forgetResults();
    m_state.format = chosenFormat();
    return true;
}

// --- Validation

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
