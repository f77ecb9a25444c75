// The wizard's Tokens step: counts, the histogram against the max context, the over-length list.

#include "datasetwizardpages.h"

#include <dataset/tokenhistogram.h>
#include <ui/icons.h>
#include <widgets/curvechart.h>

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFont>
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
    form->addRow(tr("Base &model:"), m_base);
    m_catalogStatus = new QLabel;
    m_catalogStatus->setWordWrap(true);
    m_catalogStatus->setAccessibleName(tr("Catalog loading"));
    m_catalogStatus->hide();
    form->addRow(QString(), m_catalogStatus);
    m_model = new QLineEdit;
    m_model->setPlaceholderText(tr("folder with tokenizer.json and tokenizer_config.json"));
    auto *browse = new QPushButton(icons::forAction(icons::Action::Browse), tr("Bro&wse…"));
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
    m_maxContext->setObjectName(QStringLiteral("maxContext"));
    form->addRow(tr("Max &context (tokens):"), m_maxContext);
    m_epochs = new QSpinBox;
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_epochs->setRange(1, 100);
    m_epochs->setValue(1);
    form->addRow(tr("&Epochs:"), m_epochs);
    layout->addLayout(form);
    auto *row = new QHBoxLayout;
    m_count = new QPushButton(tr("C&ount tokens"));
    m_cancel = new QPushButton(icons::forAction(icons::Action::Cancel), tr("C&ancel count"));
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
    // :estimateCost takes a job on an uploaded dataset, and the documentation gives no
    // per-token price for any model size: the estimate comes in the fine-tuning wizard's
    // summary, not here.
    m_cost = new QLabel(
        tr("Cost: not estimated before upload. The documentation gives no price per training "
           "token for any model size (it says fine-tuning is billed per token of training "
           "data; the figures are on fireworks.ai/pricing). After upload, the fine-tuning "
           "wizard's summary asks the platform's :estimateCost for an SFT job."));
    m_cost->setObjectName(QStringLiteral("costNote"));
    m_cost->setWordWrap(true);
    m_cost->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont small = m_cost->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_cost->setFont(small);
    // The normal text colour: the palette's placeholder grey is 3.5:1 on the dark theme,
    // under the 4.5:1 that ui.scale2darkdialogs asks of every label.
    m_cost->hide();
    layout->addWidget(m_cost);

    // Until there are figures, one sentence instead of an empty 0..1 plot and an empty list.
    m_emptyState = new QLabel(emptyStateText());
    m_emptyState->setObjectName(QStringLiteral("tokensEmptyState"));
    m_emptyState->setWordWrap(true);
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setFrameShape(QFrame::StyledPanel);
    m_emptyState->setMinimumHeight(220);
    layout->addWidget(m_emptyState, 1);

    m_figures = new QWidget;
    auto *charts = new QHBoxLayout(m_figures);
    charts->setContentsMargins(0, 0, 0, 0);
    auto *chartColumn = new QVBoxLayout;
    m_chart = new widgets::CurveChart;
    m_chart->setMinimumHeight(220);
    m_chart->setWholeNumberTicks(Qt::Horizontal | Qt::Vertical); // tokens, examples
    chartColumn->addWidget(m_chart, 1);
    m_chartNote = new QLabel;
    m_chartNote->setObjectName(QStringLiteral("chartNote"));
    m_chartNote->setWordWrap(true);
    m_chartNote->hide();
    chartColumn->addWidget(m_chartNote);
    charts->addLayout(chartColumn, 3);
    auto *listColumn = new QVBoxLayout;
    m_longestHeading = new QLabel;
    m_longestHeading->setObjectName(QStringLiteral("longestHeading"));
    m_longestHeading->setWordWrap(true);
    listColumn->addWidget(m_longestHeading);
    m_longest = new QListWidget;
    m_longest->setToolTip(tr("Examples longer than the max context (truncated in training)"));
    m_longestHeading->setBuddy(m_longest);
    listColumn->addWidget(m_longest, 1);
    m_longestEmpty = new QLabel;
    m_longestEmpty->setObjectName(QStringLiteral("longestEmpty"));
    m_longestEmpty->setWordWrap(true);
    m_longestEmpty->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_longestEmpty->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    listColumn->addWidget(m_longestEmpty, 1);
    charts->addLayout(listColumn, 1);
    m_figures->hide();
    layout->addWidget(m_figures, 1);

    connect(browse, &QPushButton::clicked, this, &DatasetTokensPage::browse);
    connect(m_base, &QComboBox::currentIndexChanged, this, &DatasetTokensPage::baseChanged);
    connect(m_model, &QLineEdit::textChanged, this, &DatasetTokensPage::updateCountButton);
    connect(m_count, &QPushButton::clicked, this, &DatasetTokensPage::start);
    showRememberedLocalFolder();
    connect(m_cancel, &QPushButton::clicked, &m_task, &BackgroundTask::cancel);
    connect(&m_task, &BackgroundTask::progress, m_progress, &QProgressBar::setValue);
    connect(m_maxContext, &QSpinBox::valueChanged, this, &DatasetTokensPage::maxContextChanged);
    connect(m_epochs, &QSpinBox::valueChanged, this, [this] {
        if (m_state.tokens)
            showSummary();
    });
    updateCountButton();
}

void DatasetTokensPage::initializePage()
{
    if (m_state.tokens) {
        showStats();
    } else if (!m_task.isRunning()) {
        // Counts of another file or format were dropped on the way (Back, another file).
        m_progress->setValue(0);
        showNoStats(QString());
    }
}

QString DatasetTokensPage::emptyStateText()
{
    return tr("Count tokens to see how long the examples are: a histogram of tokens per "
              "example, and the examples longer than the max context.");
}

QString DatasetTokensPage::noFolderText()
{
    return tr("Pick the model folder first: the folder with tokenizer.json and "
              "tokenizer_config.json");
}

void DatasetTokensPage::updateCountButton()
{
    const bool hasFolder = !m_model->text().trimmed().isEmpty();
    m_count->setEnabled(hasFolder && !m_task.isRunning());
    m_count->setToolTip(hasFolder ? tr("Counts every example with the tokenizer and chat "
                                       "template in the folder above")
                                  : noFolderText());
}

QString DatasetTokensPage::modelFolderProblem(const QString &folder) const
{
    const QDir dir(folder);
    const QString shown = QDir::toNativeSeparators(folder);
    if (!QFileInfo(folder).isDir())
        return tr("There is no folder \"%1\". Pick the folder of a Hugging Face model: the one "
                  "with tokenizer.json and tokenizer_config.json.")
            .arg(shown);
    if (!QFileInfo(dir.filePath(QStringLiteral("tokenizer.json"))).isFile())
        return tr("The folder \"%1\" has no tokenizer.json. Pick the folder of a Hugging Face "
                  "model that holds tokenizer.json and tokenizer_config.json (the weights are "
                  "not needed).")
            .arg(shown);
    // The chat template comes from tokenizer_config.json, chat_template.jinja or fireworks.json
    // (engine::ChatTemplate::load); with one of them there, its own error says what is wrong.
    if (!dir.exists(QStringLiteral("tokenizer_config.json")) &&
        !dir.exists(QStringLiteral("chat_template.jinja")) &&
        !dir.exists(QStringLiteral("fireworks.json")))
        return tr("The folder \"%1\" has tokenizer.json but no tokenizer_config.json, which "
                  "holds the chat template (or a chat_template.jinja). Copy it from the model's "
                  "Hugging Face page into the folder.")
            .arg(shown);
    return {};
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
constexpr auto kLocalModelFolderKey = "datasetWizard/localModelFolder";
constexpr int kContextRole = Qt::UserRole + 1;

} // namespace

QString DatasetTokensPage::rememberedTokenizerFolder(const QString &catalogModel)
{
    if (catalogModel.isEmpty())
        return QSettings().value(QLatin1String(kLocalModelFolderKey)).toString();
    return QSettings()
        .value(QLatin1String(kTokenizerFoldersKey))
        .toMap()
        .value(catalogModel)
        .toString();
}

void DatasetTokensPage::rememberTokenizerFolder(const QString &catalogModel, const QString &folder)
{
    QSettings settings;
    if (catalogModel.isEmpty()) {
        settings.setValue(QLatin1String(kLocalModelFolderKey), folder);
        return;
    }
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
        showRememberedLocalFolder();
        return;
    }
    m_modelLabel->setText(tr("&Tokenizer files:"));
    const int context = m_base->currentData(kContextRole).toInt();
    m_modelHint->setText(
        tr("The folder with %1's tokenizer.json and tokenizer_config.json (from its Hugging "
           "Face page; the weights are not needed). Remembered for this model.%2")
            .arg(name, context > 0
                           ? QLatin1Char(' ') + tr("Context length %1 tokens (the catalog).")
                                                    .arg(groupedNumber(uint64_t(context)))
                           : QString()));
    m_modelHint->show();
    const QString folder = rememberedTokenizerFolder(name);
    if (!folder.isEmpty())
        m_model->setText(folder);
}

void DatasetTokensPage::showRememberedLocalFolder()
{
    // Only a folder still there: a stale path would greet the user with a problem.
    const QString folder = rememberedTokenizerFolder(QString());
    if (!folder.isEmpty() && QFileInfo(folder).isDir())
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
    const QString folder = m_model->text().trimmed();
    if (folder.isEmpty()) {
        m_state.tokens.reset();
        showNoStats(noFolderText() + QLatin1Char('.'));
        return;
    }
    if (const QString problem = modelFolderProblem(folder); !problem.isEmpty()) {
        m_state.tokens.reset();
        showNoStats(problem);
        return;
    }
    m_count->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setValue(0);
    m_summary->setText(tr("Counting…"));
    m_emptyState->setText(
        tr("Counting the tokens of every example of %1…").arg(QFileInfo(m_state.path).fileName()));
    dataset::TokenCountOptions options;
    options.modelDir = folder.toStdString();
    // A catalog model: its tokenizer files where the user put them, its context length from
    // the catalog (a tokenizer-only folder has no config.json to read it from).
    const QString catalogModel = m_base->currentData().toString();
    // The next wizard offers it again, as the Download dialog offers its last folder.
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
        [this, result, catalogModel, folder] {
            m_state.tokenizerModel = result->error.empty() ? catalogModel : QString();
            m_cancel->setEnabled(false);
            if (!result->error.empty()) {
                m_state.tokens.reset();
                // The error names the folder and the file.
                showNoStats(tr("Cannot count: %1.").arg(QString::fromStdString(result->error)));
            } else if (result->cancelled) {
                m_state.tokens.reset();
                m_progress->setValue(0);
                showNoStats(tr("Counting cancelled; nothing was counted."));
            } else {
                m_state.tokens = std::move(*result);
                m_state.maxContext = m_state.tokens->maxContext;
                showStats();
            }
            updateCountButton();
            Q_EMIT completeChanged();
            Q_EMIT finished();
        });
    // After start(): Next waits for the count (isComplete() asks whether it runs).
    Q_EMIT completeChanged();
}

void DatasetTokensPage::maxContextChanged()
{
    if (!m_state.tokens || m_task.isRunning())
        return;
    // The limit the count would use: the spin box, else the catalog's context length of the
    // model counted with, else the folder's config.json.
    int limit = m_maxContext->value();
    if (limit == 0 && !m_state.tokenizerModel.isEmpty())
        limit = m_base->itemData(m_base->findData(m_state.tokenizerModel), kContextRole).toInt();
    if (limit == 0)
        limit = m_state.tokens->modelContextLength;
    m_state.tokens->compareWith(limit);
    m_state.maxContext = m_state.tokens->maxContext;
    showStats();
}

void DatasetTokensPage::showNoStats(const QString &message)
{
    m_summary->setText(message);
    m_emptyState->setText(emptyStateText());
    m_cost->hide();
    m_figures->hide();
    m_emptyState->show();
}

namespace {

// English plurals written out: Firedeck ships no translations to resolve %n forms.
QString examples(uint64_t n)
{
    return n == 1 ? DatasetTokensPage::tr("1 example")
                  : DatasetTokensPage::tr("%1 examples").arg(groupedNumber(n));
}

} // namespace

void DatasetTokensPage::showSummary()
{
    const dataset::TokenStats &t = *m_state.tokens;
    const int epochs = m_epochs->value();
    QStringList lines;
    if (!m_state.tokenizerModel.isEmpty())
        lines << tr("With the tokenizer of %1:").arg(m_state.tokenizerModel);
    lines << (epochs == 1 ? tr("%1, %2 tokens in all; × 1 epoch = %3 training tokens.")
                                .arg(examples(t.tokens.size()), groupedNumber(t.totalTokens),
                                     groupedNumber(t.totalTokens))
                          : tr("%1, %2 tokens in all; × %3 epochs = %4 training tokens.")
                                .arg(examples(t.tokens.size()), groupedNumber(t.totalTokens),
                                     QString::number(epochs),
                                     groupedNumber(t.totalTokens * uint64_t(epochs))));
    lines << tr("Per example: min %1, mean %2, p50 %3, p95 %4, max %5 tokens.")
                 .arg(groupedNumber(t.minTokens))
                 .arg(t.meanTokens(), 0, 'f', 1)
                 .arg(groupedNumber(t.p50), groupedNumber(t.p95), groupedNumber(t.maxTokens));
    const QString context = groupedNumber(uint64_t(std::max(0, t.maxContext)));
    if (t.maxContext <= 0)
        lines << tr("No max context to compare with: the folder's config.json gives none; "
                    "type one above.");
    else if (t.overLength == 0)
        lines << tr("No example is longer than %1 tokens.").arg(context);
    else if (t.overLength == 1)
        lines << tr("1 example is longer than %1 tokens and would be truncated.").arg(context);
    else
        lines << tr("%1 examples are longer than %2 tokens and would be truncated.")
                     .arg(groupedNumber(t.overLength), context);
    if (t.failed > 0) {
        const QString first = t.failures.empty()
                                  ? QString()
                                  : tr(" (first: %1, %2)")
                                        .arg(DatasetProblemModel::where(t.failures.front().line,
                                                                        t.failures.front().row),
                                             QString::fromStdString(t.failures.front().message));
        lines << (t.failed == 1 ? tr("1 example could not be counted%1.").arg(first)
                                : tr("%1 examples could not be counted%2.")
                                      .arg(groupedNumber(t.failed), first));
    }
    m_summary->setText(lines.join(QLatin1Char('\n')));
}

void DatasetTokensPage::showStats()
{
    const dataset::TokenStats &t = *m_state.tokens;
    m_progress->setValue(1000);
    showSummary();
    m_cost->show();
    m_emptyState->hide();
    m_figures->show();

    // Histogram: examples per bin of tokens over the examples' own range; the max context as
    // a vertical line only when it lies inside or near that range.
    const uint32_t limit = uint32_t(std::max(0, t.maxContext));
    const dataset::TokenHistogram h = dataset::tokenHistogram(t.tokens, limit);
    const QString context = groupedNumber(limit);
    widgets::CurveSeries bars;
    bars.name = h.binWidth == 1 ? tr("examples by length in tokens")
                                : tr("examples per %1 tokens").arg(groupedNumber(h.binWidth));
    // A bin holds whole token counts start … start + width - 1: drawn from start - ½ to
    // start + width - ½, so a 1-token bin sits centred on its tick, and the max context line at
    // limit + ½ parts the examples that fit from those that do not.
    const double shift = -0.5;
    for (std::size_t i = 0; i < h.bins.size(); ++i) {
        // Steps: each bin is a flat segment from its start to its end.
        const double start = double(h.xMin) + double(i * h.binWidth) + shift;
        bars.points << QPointF(start, double(h.bins[i]))
                    << QPointF(start + h.binWidth, double(h.bins[i]));
    }
    if (!h.bins.empty()) {
        // Down to 0 after the last bin, and along 0 to the end of the x range.
        const double end = double(h.xMin) + double(h.bins.size() * h.binWidth) + shift;
        bars.points << QPointF(end, 0) << QPointF(double(h.xMax) + shift, 0);
    }
    QList<widgets::CurveSeries> series{bars};
    if (h.limitShown) {
        widgets::CurveSeries line;
        line.name = tr("max context %1").arg(context);
        line.color = QColor(200, 60, 60);
        line.points << QPointF(limit - shift, 0) << QPointF(limit - shift, double(h.highest));
        series << line;
    }
    m_chart->setSeries(series);
    m_chartNote->setText(tr("The max context, %1 tokens, lies far beyond the longest example "
                            "(%2 tokens), so it is not drawn: every example fits.")
                             .arg(context, groupedNumber(t.maxTokens)));
    m_chartNote->setVisible(limit > 0 && !h.limitShown && !t.tokens.empty());

    m_longest->clear();
    for (const auto &e : t.longest)
        m_longest->addItem(
            tr("%1: %2 tokens")
                .arg(DatasetProblemModel::where(e.line, e.row), groupedNumber(e.tokens)));
    if (limit == 0)
        m_longestHeading->setText(tr("Longer than the max context:"));
    else if (t.longest.size() < t.overLength)
        m_longestHeading->setText(
            tr("Longer than %1 tokens (truncated in training); the first "
               "%2 of %3:")
                .arg(context, groupedNumber(t.longest.size()), groupedNumber(t.overLength)));
    else
        m_longestHeading->setText(
            tr("Longer than %1 tokens (truncated in training):").arg(context));
    m_longestEmpty->setText(limit == 0 ? tr("No max context to compare with.")
                                       : tr("No example is longer than %1 tokens.").arg(context));
    m_longest->setVisible(!t.longest.empty());
    m_longestEmpty->setVisible(t.longest.empty());
}

} // namespace ui
