// The wizard's first two steps, Source and Format, and BackgroundTask (Validation:
// datasetwizardvalidation.cpp).

#include "datasetwizardpages.h"

#include <ui/icons.h>

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QtConcurrent>

#include <algorithm>

namespace ui {

QString groupedNumber(uint64_t n)
{
    return QString::fromStdString(dataset::groupThousands(n));
}

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

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
    else if (info.size() == 0)
        // Nothing for the later steps to check, count or upload.
        m_hint->setText(tr("%1 is empty (0 bytes): pick the file that holds the examples.")
                            .arg(info.fileName()));
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
    const QFileInfo info(m_file->text().trimmed());
    return info.isFile() && info.size() > 0;
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
    // The rule that decided, in words: a file that mixes chat examples and prompt-only rows
    // could be either, and the platform's pages do not say which it takes it for.
    m_reason = new QLabel;
    m_reason->setObjectName(QStringLiteral("formatReason"));
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Why:"), m_reason);
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
        m_reason->clear();
        return;
    }
    m_reason->setText(reasonText(s));
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

QString DatasetFormatPage::reasonText(const dataset::Sniff &s)
{
    const dataset::Evidence &e = s.evidence;
    const QString noun = qs(dataset::recordNoun(s.source));
    const QString prompts = groupedNumber(e.endsWithOther);
    const QString answers = groupedNumber(e.endsWithAssistant);
    // Said wherever a file holds both kinds of rows.
    const QString undocumented = tr("The platform's documentation does not say how it "
                                    "classifies a file that mixes the two.");
    switch (dataset::formatReason(e)) {
    case dataset::FormatReason::NoKnownKey:
        return s.records == 0
                   ? tr("The file holds no example, so there is nothing to tell the format from.")
                   : tr("No %1 has \"messages\", the DPO keys or the batch keys: pick the "
                        "format the file is meant to be.")
                         .arg(noun);
    case dataset::FormatReason::BatchKeys:
        return tr("Most %1s have \"custom_id\" / \"body\", the keys of a batch inference "
                  "input.")
            .arg(noun);
    case dataset::FormatReason::DpoKeys:
        return tr("Most %1s have \"input\" / \"preferred_output\" / "
                  "\"non_preferred_output\", the keys of DPO preference pairs.")
            .arg(noun);
    case dataset::FormatReason::Images:
        return tr("Some messages have image parts, which only SFT vision reads.");
    case dataset::FormatReason::GroundTruth:
        return tr("More than half the %1s have \"ground_truth\", which only an evaluator "
                  "reads: RFT / evaluation rows.")
            .arg(noun);
    case dataset::FormatReason::MorePrompts:
        if (e.endsWithAssistant == 0)
            return tr("Every %1 ends with a prompt and no assistant answer: RFT / evaluation "
                      "rows, which the model answers while it trains.")
                .arg(noun);
        return tr("More %1s end with a prompt (%2) than with an assistant answer (%3), so the "
                  "file is taken for RFT / evaluation, where the answers are not trained on. "
                  "For SFT, check it as SFT chat: its prompt-only %1s are then errors.")
                   .arg(noun, prompts, answers) +
               QLatin1Char(' ') + undocumented;
    case dataset::FormatReason::MoreAnswers:
        if (e.endsWithOther == 0)
            return tr("Every %1 ends with an assistant answer, the turn SFT trains on.").arg(noun);
        return (e.endsWithOther == e.endsWithAssistant
                    ? tr("As many %1s end with an assistant answer as with a prompt (%2 each), "
                         "and a tie is taken for SFT chat")
                          .arg(noun, groupedNumber(e.endsWithAssistant))
                    : tr("More %1s end with an assistant answer (%2) than with a prompt (%3), "
                         "so the file is taken for SFT chat")
                          .arg(noun, answers, prompts)) +
               (e.endsWithOther == 1
                    ? tr(": its prompt-only %1 is an error there, having no answer to train on.")
                          .arg(noun)
                    : tr(": its %1 prompt-only %2s are errors there, having no answer to train "
                         "on.")
                          .arg(groupedNumber(e.endsWithOther), noun)) +
               QLatin1Char(' ') +
               tr("If the file holds prompts for an evaluator, check it as RFT / evaluation.") +
               QLatin1Char(' ') + undocumented;
    }
    return {};
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

} // namespace ui
