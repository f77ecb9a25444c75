// The wizard's Fix & split step: a cleaned copy and a train/eval split, beside the source.

#include "datasetwizardpages.h"

#include <ui/icons.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ui {

DatasetFixPage::DatasetFixPage(DatasetWizardState &state) : m_state(state)
{
    setTitle(tr("Fix and split"));
    setSubTitle(jsonlSubTitle());
    auto *layout = new QVBoxLayout(this);
    m_dropInvalid = new QCheckBox(tr("Drop lines with &errors"));
    m_dropInvalid->setChecked(true);
    m_dropDuplicates = new QCheckBox(tr("Drop &duplicate examples (the first copy stays)"));
    m_dropDuplicates->setChecked(true);
    m_dropLong = new QCheckBox(tr("Drop examples longer than the max conte&xt (needs Tokens)"));
    layout->addWidget(m_dropInvalid);
    layout->addWidget(m_dropDuplicates);
    layout->addWidget(m_dropLong);
    // What the boxes would drop, from the Validation step, before anything is written.
    m_found = new QLabel;
    m_found->setObjectName(QStringLiteral("fixFound"));
    m_found->setWordWrap(true);
    m_found->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_found);
    auto *form = new QFormLayout;
    m_out = new QLineEdit;
    form->addRow(tr("&Cleaned copy:"), m_out);
    m_split = new QComboBox;
    m_split->addItem(tr("No split"), int(dataset::SplitMode::None));
    m_split->addItem(tr("Random (seeded)"), int(dataset::SplitMode::Random));
    m_split->addItem(tr("The last part"), int(dataset::SplitMode::Last));
    form->addRow(tr("S&plit into train and eval:"), m_split);
    m_evalPercent = new QDoubleSpinBox;
    m_evalPercent->setRange(0.1, 99.9);
    m_evalPercent->setValue(10);
    m_evalPercent->setSuffix(tr(" %"));
    form->addRow(tr("E&val share:"), m_evalPercent);
    m_seed = new QSpinBox;
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(1);
    form->addRow(tr("&Seed:"), m_seed);
    layout->addLayout(form);
    auto *row = new QHBoxLayout;
    m_write = new QPushButton(icons::forAction(icons::Action::Save), tr("&Write files"));
    m_cancel = new QPushButton(icons::forAction(icons::Action::Cancel), tr("Cancel wr&iting"));
    m_cancel->setObjectName(QStringLiteral("cancelWrite"));
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    row->addWidget(m_write);
    row->addWidget(m_cancel);
    row->addWidget(m_progress, 1);
    layout->addLayout(row);
    m_result = new QLabel;
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);
    layout->addStretch(1);
    connect(m_write, &QPushButton::clicked, this, &DatasetFixPage::write);
    // A CSV, JSON array or prompt/completion source must be written before Next: Enter in the
    // file name writes it then (the default button, Next, is off); otherwise Enter is Next.
    connect(m_out, &QLineEdit::returnPressed, this, [this] {
        if (!isComplete() && m_write->isEnabled())
            write();
    });
    connect(m_cancel, &QPushButton::clicked, &m_task, &BackgroundTask::cancel);
    connect(&m_task, &BackgroundTask::progress, m_progress, &QProgressBar::setValue);
    auto updateSplit = [this] {
        const bool split = m_split->currentData().toInt() != int(dataset::SplitMode::None);
        m_evalPercent->setEnabled(split);
        m_seed->setEnabled(m_split->currentData().toInt() == int(dataset::SplitMode::Random));
    };
    connect(m_split, &QComboBox::currentIndexChanged, this, updateSplit);
    updateSplit();
}

QString DatasetFixPage::jsonlSubTitle()
{
    return tr("Writes new files (beside the source unless you name another folder); the source "
              "stays as it is. Optional: Next skips it when the file is already fine.");
}

bool DatasetFixPage::sourceIsJsonl() const
{
    return m_state.sourceKind() == dataset::SourceKind::Jsonl;
}

void DatasetFixPage::initializePage()
{
    // The platform reads JSONL: a CSV or JSON array has nothing to upload until it is written.
    if (sourceIsJsonl())
        setSubTitle(jsonlSubTitle());
    else if (m_state.sourceKind() == dataset::SourceKind::PromptCompletion)
        setSubTitle(tr("The platform trains on chat messages: Write files turns each prompt and "
                       "completion into a user and an assistant message in a new JSONL file "
                       "(beside the source unless you name another folder), then Next. The "
                       "source stays as it is."));
    else
        setSubTitle(tr("The platform reads only JSONL: Write files converts the rows into a new "
                       "JSONL file (beside the source unless you name another folder), then "
                       "Next. The source stays as it is."));
    // In what the source is made of: a spreadsheet user thinks in rows.
    switch (m_state.sourceKind()) {
    case dataset::SourceKind::Csv:
        m_dropInvalid->setText(tr("Drop rows with &errors"));
        break;
    case dataset::SourceKind::JsonArray:
        m_dropInvalid->setText(tr("Drop elements with &errors"));
        break;
    case dataset::SourceKind::Jsonl:
    case dataset::SourceKind::PromptCompletion:
    case dataset::SourceKind::Auto:
        m_dropInvalid->setText(tr("Drop lines with &errors"));
        break;
    }
    m_dropLong->setEnabled(m_state.tokens.has_value() && m_state.maxContext > 0);
    showFound();
    // Named after the source: another source gets its own name (beside it), and the result of
    // the old one's write is no longer shown.
    if (m_out->text().isEmpty() || m_outFor != m_state.path) {
        setOutputFolder(QFileInfo(m_state.path).absolutePath());
        m_outFor = m_state.path;
        m_result->clear();
        m_progress->setValue(0);
    }
}

void DatasetFixPage::showFound()
{
    const std::optional<dataset::Report> &report = m_state.report;
    const bool checked = report && !report->cancelled;
    m_found->setVisible(checked);
    if (!checked)
        return;
    const dataset::FileReport &t = report->train;
    const dataset::SourceKind source = m_state.sourceKind();
    // The first few, as the Validation step numbers them (a spreadsheet's row for a CSV).
    QStringList where;
    for (const dataset::Problem &p : t.problems) {
        // A byte order mark is the file's, not its first line's: that line stays.
        if (p.severity() != dataset::Severity::Error || p.line == 0 || p.rule == dataset::Rule::Bom)
            continue;
        const QString at = groupedNumber(p.row ? p.row : p.line);
        if (!where.contains(at))
            where << at;
        if (where.size() > 8)
            break;
    }
    QString at;
    if (!where.isEmpty())
        at = where.size() > 8 ? tr(" (%1, …)").arg(where.mid(0, 8).join(QStringLiteral(", ")))
                              : tr(" (%1)").arg(where.join(QStringLiteral(", ")));
    m_found->setText(
        t.examplesWithErrors == 0 && t.duplicates == 0
            ? tr("The check found no example with an error and no duplicate in %1: the copy "
                 "keeps every example.")
                  .arg(QFileInfo(m_state.path).fileName())
            : tr("The check found %1 with errors%2 and %3 in %4; the ticked boxes leave them "
                 "out of the copy.")
                  .arg(recordCount(source, t.examplesWithErrors), at,
                       t.duplicates == 1 ? tr("1 duplicate")
                                         : tr("%1 duplicates").arg(groupedNumber(t.duplicates)),
                       QFileInfo(m_state.path).fileName()));
}

void DatasetFixPage::setOutputFolder(const QString &folder)
{
    const QString base = QFileInfo(m_state.path).completeBaseName();
    m_out->setText(QDir(folder).filePath(base + QStringLiteral(".clean.jsonl")));
}

void DatasetFixPage::cleanupPage()
{
    // Back while writing: the files would appear after the step they belong to was left.
    m_task.cancel();
}

bool DatasetFixPage::isComplete() const
{
    if (m_task.isRunning())
        return false;
    return sourceIsJsonl() || !m_state.cleanedPath.isEmpty() || !m_state.trainPath.isEmpty();
}

void DatasetFixPage::write()
{
    if (m_task.isRunning())
        return;
    dataset::CleanOptions options;
    options.format = m_state.format;
    options.source = m_state.source;
    options.csv = m_state.csv;
    options.dropInvalid = m_dropInvalid->isChecked();
    options.dropDuplicates = m_dropDuplicates->isChecked();
    if (m_dropLong->isChecked() && m_dropLong->isEnabled() && m_state.tokens) {
        options.tokens = &*m_state.tokens;
        options.maxTokens = uint32_t(m_state.maxContext);
    }
    const QString out = m_out->text().trimmed();
    options.outPath = out.toStdString();
    options.split = dataset::SplitMode(m_split->currentData().toInt());
    options.evalPercent = m_evalPercent->value();
    options.seed = uint64_t(m_seed->value());
    QString train, eval;
    if (options.split != dataset::SplitMode::None) {
        QString stem = out;
        if (stem.endsWith(QStringLiteral(".jsonl")))
            stem.chop(6);
        train = stem + QStringLiteral(".train.jsonl");
        eval = stem + QStringLiteral(".eval.jsonl");
        options.trainPath = train.toStdString();
        options.evalPath = eval.toStdString();
    }
    m_write->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setValue(0);
    m_result->setText(tr("Writing…"));
    const std::string path = m_state.path.toStdString();
    auto result = std::make_shared<dataset::CleanResult>();
    m_task.start(
        [options, path, result](const std::atomic<bool> &cancel,
                                std::function<void(uint64_t, uint64_t)> progress) mutable {
            options.cancel = &cancel;
            options.progress = std::move(progress);
            *result = dataset::cleanAndSplit(path, options);
        },
        [this, result, out, train, eval] {
            m_write->setEnabled(true);
            m_cancel->setEnabled(false);
            const dataset::CleanResult &r = *result;
            if (!r.error.empty()) {
                m_result->setText(QString::fromStdString(r.error));
            } else if (r.cancelled) {
                m_result->setText(tr("Cancelled; no file was written."));
            } else {
                m_progress->setValue(1000);
                m_state.written.clear();
                for (const auto &w : r.written)
                    m_state.written << QString::fromStdString(w);
                m_state.cleanedPath = out;
                m_state.trainPath = train;
                m_state.evalSplitPath = eval;
                // "1 duplicate", not "1 duplicates" (no translations to resolve %n forms).
                const QString duplicates =
                    r.droppedDuplicates == 1
                        ? tr("1 duplicate")
                        : tr("%1 duplicates").arg(groupedNumber(r.droppedDuplicates));
                QString text =
                    tr("Kept %1 of %2; dropped %3 with errors, %4, %5 over the max "
                       "context, %6 blank.")
                        .arg(groupedNumber(r.kept), recordCount(m_state.sourceKind(), r.records),
                             groupedNumber(r.droppedInvalid), duplicates,
                             groupedNumber(r.droppedOverLength), groupedNumber(r.droppedBlank));
                if (!train.isEmpty())
                    text += QLatin1Char(' ') +
                            tr("Split: %1 train, %2 eval.")
                                .arg(groupedNumber(r.trainRows), groupedNumber(r.evalRows));
                text += QLatin1Char('\n') + m_state.written.join(QLatin1Char('\n'));
                m_result->setText(text);
            }
            Q_EMIT completeChanged();
            Q_EMIT finished();
        });
    // After start(): Next waits for the files (isComplete() asks whether it runs).
    Q_EMIT completeChanged();
}

} // namespace ui
