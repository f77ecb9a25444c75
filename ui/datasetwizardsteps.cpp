// The wizard's Tokens and Fix & split steps.

#include "datasetwizardpages.h"

#include <ui/icons.h>
#include <widgets/curvechart.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

QString number(uint64_t n)
{
    return QString::fromStdString(dataset::groupThousands(n));
}

} // namespace

// --- Tokens

DatasetTokensPage::DatasetTokensPage(DatasetWizardState &state) : m_state(state)
{
    setTitle(tr("Tokens"));
    setSubTitle(tr("Every example through the base model's own tokenizer and chat template: "
                   "a local Hugging Face folder, or a catalog model with the folder holding its "
                   "tokenizer files. Optional: Next skips it."));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_base = new QComboBox;
    m_base->addItem(tr("A local model folder"), QString());
    form->addRow(tr("&Base model:"), m_base);
    m_catalogStatus = new QLabel;
    m_catalogStatus->setWordWrap(true);
    m_catalogStatus->setAccessibleName(tr("Catalog loading"));
    m_catalogStatus->hide();
    form->addRow(QString(), m_catalogStatus);
    m_model = new QLineEdit;
    m_model->setPlaceholderText(tr("folder with tokenizer.json and tokenizer_config.json"));
    auto *browse = new QPushButton(icons::forAction(icons::Action::Browse), tr("&Browse…"));
    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(browse);
    m_modelLabel = new QLabel(tr("Model &folder:"));
    m_modelLabel->setBuddy(m_model);
    form->addRow(m_modelLabel, modelRow);
    m_modelHint = new QLabel;
    m_modelHint->setWordWrap(true);
    m_modelHint->hide();
    form->addRow(QString(), m_modelHint);
    m_maxContext = new QSpinBox;
    m_maxContext->setRange(0, 1 << 21);
    m_maxContext->setSpecialValueText(tr("the model's context length"));
    m_maxContext->setValue(8192);
    form->addRow(tr("Max &context (tokens):"), m_maxContext);
    m_epochs = new QSpinBox;
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_epochs->setRange(1, 100);
    m_epochs->setValue(1);
    form->addRow(tr("&Epochs:"), m_epochs);
    layout->addLayout(form);
    auto *row = new QHBoxLayout;
    m_count = new QPushButton(tr("C&ount tokens"));
    m_cancel = new QPushButton(icons::forAction(icons::Action::Cancel), tr("&Cancel count"));
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    row->addWidget(m_count);
    row->addWidget(m_cancel);
    row->addWidget(m_progress, 1);
    layout->addLayout(row);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    auto *charts = new QHBoxLayout;
    m_chart = new widgets::CurveChart;
    m_chart->setMinimumHeight(220);
    charts->addWidget(m_chart, 3);
    m_longest = new QListWidget;
    m_longest->setToolTip(tr("Examples longer than the max context (truncated in training)"));
    charts->addWidget(m_longest, 1);
    layout->addLayout(charts, 1);

    connect(browse, &QPushButton::clicked, this, &DatasetTokensPage::browse);
    connect(m_base, &QComboBox::currentIndexChanged, this, &DatasetTokensPage::baseChanged);
    connect(m_count, &QPushButton::clicked, this, &DatasetTokensPage::start);
    connect(m_cancel, &QPushButton::clicked, &m_task, &BackgroundTask::cancel);
    connect(&m_task, &BackgroundTask::progress, m_progress, &QProgressBar::setValue);
    connect(m_epochs, &QSpinBox::valueChanged, this, [this] {
        if (m_state.tokens)
            showStats();
    });
}

void DatasetTokensPage::initializePage()
{
    if (m_state.tokens)
        showStats();
}

bool DatasetTokensPage::isComplete() const
{
    return !m_task.isRunning();
}

void DatasetTokensPage::setModelDir(const QString &dir)
{
    m_model->setText(dir);
}

void DatasetTokensPage::setMaxContext(int tokens)
{
    m_maxContext->setValue(tokens);
}

namespace {

constexpr auto kTokenizerFoldersKey = "datasetWizard/tokenizerFolders";
constexpr int kContextRole = Qt::UserRole + 1;

} // namespace

QString DatasetTokensPage::rememberedTokenizerFolder(const QString &catalogModel)
{
    return QSettings()
        .value(QLatin1String(kTokenizerFoldersKey))
        .toMap()
        .value(catalogModel)
        .toString();
}

void DatasetTokensPage::rememberTokenizerFolder(const QString &catalogModel, const QString &folder)
{
    QSettings settings;
    QVariantMap map = settings.value(QLatin1String(kTokenizerFoldersKey)).toMap();
    map.insert(catalogModel, folder);
    settings.setValue(QLatin1String(kTokenizerFoldersKey), map);
}

void DatasetTokensPage::setCatalog(const QList<client::Model> &models)
{
    const QString current = m_base->currentData().toString();
    const QSignalBlocker block(m_base);
    while (m_base->count() > 1)
        m_base->removeItem(1);
    for (const client::Model &m : models) {
        if (!m.tunable)
            continue;
        m_base->addItem(
            m.displayName.isEmpty() ? m.name : QStringLiteral("%1 — %2").arg(m.displayName, m.name),
            m.name);
        m_base->setItemData(m_base->count() - 1, m.contextLength, kContextRole);
    }
    m_base->setCurrentIndex(std::max(0, m_base->findData(current)));
}

void DatasetTokensPage::setCatalogStatus(const QString &text)
{
    m_catalogStatus->setText(text);
    m_catalogStatus->setVisible(!text.isEmpty());
}

bool DatasetTokensPage::chooseCatalogModel(const QString &name)
{
    const int i = m_base->findData(name);
    if (i >= 0)
        m_base->setCurrentIndex(i);
    return i >= 0;
}

void DatasetTokensPage::baseChanged()
{
    const QString name = m_base->currentData().toString();
    if (name.isEmpty()) {
        m_modelLabel->setText(tr("Model &folder:"));
        m_modelHint->hide();
        return;
    }
    m_modelLabel->setText(tr("&Tokenizer files:"));
    const int context = m_base->currentData(kContextRole).toInt();
    m_modelHint->setText(
        tr("The folder with %1's tokenizer.json and tokenizer_config.json (from its Hugging "
           "Face page; the weights are not needed). Remembered for this model.%2")
            .arg(name, context > 0
                           ? QLatin1Char(' ') + tr("Context length %1 tokens (the catalog).")
                                                    .arg(number(uint64_t(context)))
                           : QString()));
    m_modelHint->show();
    const QString folder = rememberedTokenizerFolder(name);
    if (!folder.isEmpty())
        m_model->setText(folder);
}

void DatasetTokensPage::browse()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Base model folder"), m_model->text());
    if (!dir.isEmpty())
        m_model->setText(dir);
}

void DatasetTokensPage::start()
{
    if (m_task.isRunning())
        return;
    m_count->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setValue(0);
    m_summary->setText(tr("Counting…"));
    Q_EMIT completeChanged();
    dataset::TokenCountOptions options;
    const QString folder = m_model->text().trimmed();
    options.modelDir = folder.toStdString();
    // A catalog model: its tokenizer files where the user put them, its context length from
    // the catalog (a tokenizer-only folder has no config.json to read it from).
    const QString catalogModel = m_base->currentData().toString();
    if (!catalogModel.isEmpty() && !folder.isEmpty())
        rememberTokenizerFolder(catalogModel, folder);
    options.format = m_state.format;
    options.source = m_state.source;
    options.csv = m_state.csv;
    options.maxContext = m_maxContext->value();
    if (options.maxContext == 0 && !catalogModel.isEmpty())
        options.maxContext = m_base->currentData(kContextRole).toInt();
    const std::string path = m_state.path.toStdString();
    auto result = std::make_shared<dataset::TokenStats>();
    m_task.start(
        [options, path, result](const std::atomic<bool> &cancel,
                                std::function<void(uint64_t, uint64_t)> progress) mutable {
            options.cancel = &cancel;
            options.progress = std::move(progress);
            *result = dataset::countTokens(path, options);
        },
        [this, result, catalogModel] {
            m_count->setEnabled(true);
            m_state.tokenizerModel = result->error.empty() ? catalogModel : QString();
            m_cancel->setEnabled(false);
            if (!result->error.empty()) {
                m_summary->setText(QString::fromStdString(result->error));
                m_state.tokens.reset();
            } else if (result->cancelled) {
                m_summary->setText(tr("Cancelled."));
                m_state.tokens.reset();
            } else {
                m_state.tokens = std::move(*result);
                m_state.maxContext = m_state.tokens->maxContext;
                showStats();
            }
            Q_EMIT completeChanged();
            Q_EMIT finished();
        });
}

void DatasetTokensPage::showStats()
{
    const dataset::TokenStats &t = *m_state.tokens;
    m_progress->setValue(1000);
    const int epochs = m_epochs->value();
    QString text;
    if (!m_state.tokenizerModel.isEmpty())
        text = tr("With the tokenizer of %1: ").arg(m_state.tokenizerModel);
    text += tr("%1 examples: %2 tokens in all, × %3 epochs = %4 training tokens. Per example: min "
               "%5, mean %6, p50 %7, p95 %8, max %9.")
                .arg(number(t.tokens.size()), number(t.totalTokens), QString::number(epochs),
                     number(t.totalTokens * uint64_t(epochs)), number(t.minTokens))
                .arg(t.meanTokens(), 0, 'f', 1)
                .arg(number(t.p50), number(t.p95), number(t.maxTokens));
    if (t.maxContext > 0)
        text += QLatin1Char(' ') + tr("%1 examples are longer than %2 tokens and would be "
                                      "truncated.")
                                       .arg(number(t.overLength), number(uint64_t(t.maxContext)));
    if (t.failed > 0)
        text += QLatin1Char(' ') +
                tr("%1 examples could not be counted (first: line %2, %3).")
                    .arg(number(t.failed))
                    .arg(t.failures.empty() ? 0 : t.failures.front().line)
                    .arg(t.failures.empty() ? QString()
                                            : QString::fromStdString(t.failures.front().message));
    // :estimateCost takes a job on an uploaded dataset, and the documentation gives no
    // per-token price for any model size: the estimate comes in the fine-tuning wizard's
    // summary, not here.
    text += QLatin1Char(' ') +
            tr("Cost: not estimated before upload. The documentation gives no price per training "
               "token for any model size (it says fine-tuning is billed per token of training "
               "data; the figures are on fireworks.ai/pricing). After upload, the fine-tuning "
               "wizard's summary asks the platform's :estimateCost for an SFT job.");
    m_summary->setText(text);

    // Histogram: examples per bin of tokens, and the max context as a vertical line.
    const uint32_t width = std::max<uint32_t>(1, (t.maxTokens + 59) / 60);
    const std::vector<uint64_t> bins = t.histogram(width);
    widgets::CurveSeries examples;
    examples.name = tr("examples per %1 tokens").arg(width);
    uint64_t highest = 0;
    for (std::size_t i = 0; i < bins.size(); ++i) {
        // Steps: each bin is a flat segment from its start to its end.
        examples.points << QPointF(double(i * width), double(bins[i]))
                        << QPointF(double((i + 1) * width), double(bins[i]));
        highest = std::max(highest, bins[i]);
    }
    QList<widgets::CurveSeries> series{examples};
    if (t.maxContext > 0) {
        widgets::CurveSeries limit;
        limit.name = tr("max context %1").arg(t.maxContext);
        limit.color = QColor(200, 60, 60);
        limit.points << QPointF(t.maxContext, 0) << QPointF(t.maxContext, double(highest));
        series << limit;
    }
    m_chart->setSeries(series);
    m_longest->clear();
    for (const auto &e : t.longest)
        m_longest->addItem(tr("line %1: %2 tokens").arg(e.line).arg(number(e.tokens)));
}

// --- Fix & split

DatasetFixPage::DatasetFixPage(DatasetWizardState &state) : m_state(state)
{
    setTitle(tr("Fix and split"));
    setSubTitle(tr("Writes new files beside the folder you pick; the source stays as it is. "
                   "Optional: Next skips it when the file is already fine."));
    auto *layout = new QVBoxLayout(this);
    m_dropInvalid = new QCheckBox(tr("Drop lines with &errors"));
    m_dropInvalid->setChecked(true);
    m_dropDuplicates = new QCheckBox(tr("Drop &duplicate examples (the first copy stays)"));
    m_dropDuplicates->setChecked(true);
    m_dropLong = new QCheckBox(tr("Drop examples longer than the max &context (needs Tokens)"));
    layout->addWidget(m_dropInvalid);
    layout->addWidget(m_dropDuplicates);
    layout->addWidget(m_dropLong);
    auto *form = new QFormLayout;
    m_out = new QLineEdit;
    form->addRow(tr("&Cleaned copy:"), m_out);
    m_split = new QComboBox;
    m_split->addItem(tr("No split"), int(dataset::SplitMode::None));
    m_split->addItem(tr("Random (seeded)"), int(dataset::SplitMode::Random));
    m_split->addItem(tr("The last part"), int(dataset::SplitMode::Last));
    form->addRow(tr("&Split into train and eval:"), m_split);
    m_evalPercent = new QDoubleSpinBox;
    m_evalPercent->setRange(0.1, 99.9);
    m_evalPercent->setValue(10);
    m_evalPercent->setSuffix(tr(" %"));
    form->addRow(tr("E&val share:"), m_evalPercent);
    m_seed = new QSpinBox;
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(1);
    form->addRow(tr("S&eed:"), m_seed);
    layout->addLayout(form);
    auto *row = new QHBoxLayout;
    m_write = new QPushButton(icons::forAction(icons::Action::Save), tr("&Write files"));
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    row->addWidget(m_write);
    row->addWidget(m_progress, 1);
    layout->addLayout(row);
    m_result = new QLabel;
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);
    layout->addStretch(1);
    connect(m_write, &QPushButton::clicked, this, &DatasetFixPage::write);
    connect(&m_task, &BackgroundTask::progress, m_progress, &QProgressBar::setValue);
    auto updateSplit = [this] {
        const bool split = m_split->currentData().toInt() != int(dataset::SplitMode::None);
        m_evalPercent->setEnabled(split);
        m_seed->setEnabled(m_split->currentData().toInt() == int(dataset::SplitMode::Random));
    };
    connect(m_split, &QComboBox::currentIndexChanged, this, updateSplit);
    updateSplit();
}

void DatasetFixPage::initializePage()
{
    m_dropLong->setEnabled(m_state.tokens.has_value() && m_state.maxContext > 0);
    if (m_out->text().isEmpty())
        setOutputFolder(QFileInfo(m_state.path).absolutePath());
}

void DatasetFixPage::setOutputFolder(const QString &folder)
{
    const QString base = QFileInfo(m_state.path).completeBaseName();
    m_out->setText(QDir(folder).filePath(base + QStringLiteral(".clean.jsonl")));
}

bool DatasetFixPage::isComplete() const
{
    return !m_task.isRunning();
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
    m_progress->setValue(0);
    m_result->setText(tr("Writing…"));
    Q_EMIT completeChanged();
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
                QString text = tr("Kept %1 of %2 records; dropped %3 with errors, %4 duplicates, "
                                  "%5 over the max context, %6 blank.")
                                   .arg(number(r.kept), number(r.records), number(r.droppedInvalid),
                                        number(r.droppedDuplicates), number(r.droppedOverLength),
                                        number(r.droppedBlank));
                if (!train.isEmpty())
                    text += QLatin1Char(' ') + tr("Split: %1 train, %2 eval.")
                                                   .arg(number(r.trainRows), number(r.evalRows));
                text += QLatin1Char('\n') + m_state.written.join(QLatin1Char('\n'));
                m_result->setText(text);
            }
            Q_EMIT completeChanged();
            Q_EMIT finished();
        });
}

} // namespace ui
