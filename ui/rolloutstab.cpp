#include "rolloutstab.h"

#include <client/resourcenames.h>
#include <client/trainingjobrules.h>
#include <models/rolloutdetail.h>
#include <models/rolloutexport.h>
#include <models/rolloutfilterproxy.h>
#include <models/rolloutlistmodel.h>
#include <models/rolloutreplay.h>
#include <models/trainingrun.h>
#include <ui/playgroundreplay.h>
#include <widgets/curvechart.h>

#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLegend>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("<br>"));
}

//! Epochs that have rollouts: all of a completed job's, else those started so far.
int epochsWithRollouts(const client::TrainingJob &job)
{
    switch (job.state) {
    case client::JobState::Unspecified:
    case client::JobState::Creating:
    case client::JobState::Pending:
    case client::JobState::Validating:
    case client::JobState::CreatingInputDataset:
        return 0;
    case client::JobState::Completed:
    case client::JobState::WritingResults:
        return std::max(1, job.epochs.value_or(1));
    default:
        return job.jobProgress.epoch ? *job.jobProgress.epoch + 1 : 1;
    }
}

QString detailHtml(const client::RolloutRecord &r, int sample, const models::RolloutDetail &d)
{
    QString h;
    // Epochs counted from 1, as the job's header and the epoch chooser say (the platform's
    // records count from 0).
    h += QStringLiteral("<h3>%1 · %2 · %3 · %4 · %5</h3>")
             .arg(esc(r.rowId), QObject::tr("sample %1").arg(sample),
                  QObject::tr("epoch %1, step %2").arg(r.epoch + 1).arg(r.step),
                  QObject::tr("score %1").arg(QString::number(r.score, 'f', 3)),
                  r.valid ? QObject::tr("valid") : QObject::tr("<b>invalid</b>"));
    if (!r.reason.isEmpty())
        h += QStringLiteral("<p><b>%1</b> %2</p>").arg(QObject::tr("Reason:"), esc(r.reason));
    if (!d.evaluatorError.isEmpty())
        h += QStringLiteral("<p><b>%1</b> %2</p>")
                 .arg(QObject::tr("Evaluator error:"), esc(d.evaluatorError));
    h += QStringLiteral("<h4>%1</h4>").arg(QObject::tr("Conversation"));
    for (const models::RolloutMessage &m : d.messages) {
        QString who = esc(m.role);
        if (!m.name.isEmpty())
            who += QStringLiteral(" (%1)").arg(esc(m.name));
        h += QStringLiteral("<p><b>%1</b>").arg(who);
        if (!m.toolCallId.isEmpty())
            h += QStringLiteral(" <i>%1</i>").arg(QObject::tr("answers %1").arg(esc(m.toolCallId)));
        h += QStringLiteral("<br>");
        if (!m.reasoning.isEmpty())
            h +=
                QStringLiteral("<i>%1 %2</i><br>").arg(QObject::tr("Reasoning:"), esc(m.reasoning));
        if (!m.content.isEmpty())
            h += esc(m.content) + QStringLiteral("<br>");
        for (const models::RolloutToolCall &c : m.toolCalls)
            h += QStringLiteral("<tt>%1 %2(%3)</tt> <i>%4</i><br>")
                     .arg(QObject::tr("Tool call:"), esc(c.name), esc(c.arguments), esc(c.id));
        h += QStringLiteral("</p>");
    }
    if (!d.metrics.isEmpty()) {
        h += QStringLiteral("<h4>%1</h4><table cellspacing=6>")
                 .arg(QObject::tr("Evaluation by metric"));
        for (const models::RolloutMetric &m : d.metrics)
            h += QStringLiteral("<tr><td>%1</td><td align=right>%2</td><td>%3</td></tr>")
                     .arg(esc(m.name),
                          m.score ? QString::number(*m.score, 'f', 3) : QStringLiteral("—"),
                          esc(m.valid ? m.reason : QObject::tr("invalid: %1").arg(m.reason)));
        h += QStringLiteral("</table>");
    }
    h += QStringLiteral("<h4>%1</h4><p>").arg(QObject::tr("Tokens and timing"));
    h +=
        QObject::tr("Prompt %1 · completion %2 · total %3 tokens")
            .arg(models::groupedInteger(d.promptTokens), models::groupedInteger(d.completionTokens),
                 models::groupedInteger(d.totalTokens));
    if (d.durationSeconds)
        h += QStringLiteral("<br>") +
             QObject::tr("Took %1 s").arg(QString::number(*d.durationSeconds, 'f', 2));
    if (!d.createdAt.isEmpty())
        h += QStringLiteral("<br>") + QObject::tr("Finished %1").arg(esc(d.createdAt));
    if (!d.rolloutId.isEmpty())
        h += QStringLiteral("<br>") + QObject::tr("Rollout %1").arg(esc(d.rolloutId));
    h += QStringLiteral("</p>");
    if (!d.sampling.isEmpty()) {
        h += QStringLiteral("<h4>%1</h4><p>").arg(QObject::tr("Sampling settings"));
        QStringList parts;
        for (const auto &[name, value] : d.sampling)
            parts.append(QStringLiteral("%1 = %2").arg(esc(name), esc(value)));
        h += parts.join(QStringLiteral("<br>")) + QStringLiteral("</p>");
    }
    if (!r.groundTruth.isEmpty())
        h += QStringLiteral("<h4>%1</h4><p>%2</p>")
                 .arg(QObject::tr("Ground truth"), esc(r.groundTruth));
    return h;
}

//! ": 16 prompts, 4 samples each" (or ": 16 prompts" when their counts differ); empty for one.
QString promptsText(const QList<client::RolloutRecord> &records)
{
    QHash<QString, int> perPrompt;
    for (const client::RolloutRecord &r : records)
        ++perPrompt[r.rowId];
    if (perPrompt.size() < 2)
        return {};
    const QList<int> counts = perPrompt.values();
    const bool even =
        std::all_of(counts.begin(), counts.end(), [&counts](int n) { return n == counts.first(); });
    return even && counts.first() > 1
               ? QObject::tr(": %1 prompts, %2 samples each")
                     .arg(models::groupedInteger(perPrompt.size()))
                     .arg(counts.first())
               : QObject::tr(": %1 prompts").arg(models::groupedInteger(perPrompt.size()));
}

} // namespace

RolloutsTab::RolloutsTab(client::ApiClient *api, QWidget *parent)
    : QWidget(parent), m_model(new models::RolloutListModel(api, this)),
      m_proxy(new models::RolloutFilterProxy(this))
{
    m_proxy->setSourceModel(m_model);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    m_only = new QLabel(this);
    m_only->setObjectName(QStringLiteral("rolloutsUnavailable"));
    m_only->setAlignment(Qt::AlignCenter);
    m_only->setWordWrap(true);
    m_stack->addWidget(m_only);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    auto *bar = new QHBoxLayout;
    m_epoch = new QComboBox(content);
    m_epoch->setObjectName(QStringLiteral("rolloutEpoch"));
    auto *epochLabel = new QLabel(tr("&Epoch:"), content);
    epochLabel->setBuddy(m_epoch);
    m_invalidOnly = new QCheckBox(tr("&Invalid only"), content);
    m_invalidOnly->setObjectName(QStringLiteral("rolloutInvalidOnly"));
    m_minScore = new QDoubleSpinBox(content);
    m_minScore->setObjectName(QStringLiteral("rolloutMinScore"));
    m_maxScore = new QDoubleSpinBox(content);
    m_maxScore->setObjectName(QStringLiteral("rolloutMaxScore"));
    for (QDoubleSpinBox *box : {m_minScore, m_maxScore}) {
        box->setRange(0.0, 1.0);
        box->setSingleStep(0.05);
        box->setDecimals(2);
    }
    m_maxScore->setValue(1.0);
    auto *scoreLabel = new QLabel(tr("&Score from"), content);
    scoreLabel->setBuddy(m_minScore);
    m_refresh = new QPushButton(tr("Relo&ad"), content);
    m_refresh->setObjectName(QStringLiteral("rolloutRefresh"));
    m_exportJsonl = new QPushButton(tr("Export &JSONL…"), content);
    m_exportJsonl->setObjectName(QStringLiteral("rolloutExportJsonl"));
    m_exportCsv = new QPushButton(tr("Export CS&V…"), content);
    m_exportCsv->setObjectName(QStringLiteral("rolloutExportCsv"));
    m_openInPlayground = new QPushButton(tr("Open in pla&yground"), content);
    m_openInPlayground->setObjectName(QStringLiteral("rolloutOpenInPlayground"));
    m_openInPlayground->setToolTip(tr("Ask any model (the job's output run locally, a "
                                      "deployment…) the selected rollout's prompt now"));
    m_openInPlayground->setEnabled(false);
    bar->addWidget(epochLabel);
    bar->addWidget(m_epoch);
    bar->addSpacing(12);
    bar->addWidget(m_invalidOnly);
    bar->addSpacing(12);
    bar->addWidget(scoreLabel);
    bar->addWidget(m_minScore);
    bar->addWidget(new QLabel(tr("to"), content));
    bar->addWidget(m_maxScore);
    bar->addStretch(1);
    bar->addWidget(m_refresh);
    bar->addWidget(m_exportJsonl);
    bar->addWidget(m_exportCsv);
    bar->addWidget(m_openInPlayground);
    layout->addLayout(bar);
    m_message = new QLabel(content);
    m_message->setObjectName(QStringLiteral("rolloutMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    auto *split = new QSplitter(Qt::Horizontal, content);
    auto *left = new QSplitter(Qt::Vertical, split);
    m_table = new QTableView(left);
    m_table->setObjectName(QStringLiteral("rolloutTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(models::RolloutListModel::RowIdColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    // One line per rollout: wrapped, a prompt and an answer were cut after two lines at any
    // width; the whole text is in the tooltip and the detail pane.
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(false);
    // The short columns as wide as their text; the texts share the rest.
    for (int column = 0; column < models::RolloutListModel::ColumnCount; ++column)
        m_table->horizontalHeader()->setSectionResizeMode(
            column, column == models::RolloutListModel::PromptColumn ||
                            column == models::RolloutListModel::ResponseColumn ||
                            column == models::RolloutListModel::ReasonColumn
                        ? QHeaderView::Stretch
                        : QHeaderView::ResizeToContents);
    auto *histo = new QWidget(left);
    auto *histoLayout = new QVBoxLayout(histo);
    histoLayout->setContentsMargins(0, 0, 0, 0);
    // The epoch's scores as a step outline of bars on the app's one chart widget.
    m_chart = new widgets::CurveChart(histo);
    m_chart->setObjectName(QStringLiteral("rolloutHistogram"));
    m_chart->setSmoothing(0);
    m_chart->setWholeNumberTicks(Qt::Vertical); // rollouts per score
    // One series: no legend. Tall enough that Qt Charts does not elide the axis labels.
    m_chart->chart()->legend()->hide();
    m_chart->setMinimumHeight(fontMetrics().height() * 11);
    m_bins = new QLabel(histo);
    m_bins->setObjectName(QStringLiteral("rolloutHistogramBins"));
    m_bins->setWordWrap(true);
    m_bins->setTextInteractionFlags(Qt::TextSelectableByMouse);
    histoLayout->addWidget(m_chart, 1);
    histoLayout->addWidget(m_bins);
    left->addWidget(m_table);
    left->addWidget(histo);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);
    m_detail = new QTextBrowser(split);
    m_detail->setObjectName(QStringLiteral("rolloutDetail"));
    m_detail->setPlaceholderText(tr("Select a rollout to see the whole conversation."));
    split->addWidget(left);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    m_stack->addWidget(content);

    connect(m_epoch, &QComboBox::activated, this, [this](int index) {
        // The user's choice, the running epoch included, is kept even while it is empty.
        m_stepBackIfEmpty = false;
        m_followLatest = index == m_epoch->count() - 1;
        loadSelectedEpoch();
    });
    connect(m_refresh, &QPushButton::clicked, this, [this] {
        m_stepBackIfEmpty = false;
        loadSelectedEpoch();
    });
    connect(m_invalidOnly, &QCheckBox::toggled, m_proxy,
            &models::RolloutFilterProxy::setInvalidOnly);
    const auto range = [this] { m_proxy->setScoreRange(m_minScore->value(), m_maxScore->value()); };
    connect(m_minScore, &QDoubleSpinBox::valueChanged, this, range);
    connect(m_maxScore, &QDoubleSpinBox::valueChanged, this, range);
    connect(m_model, &models::RolloutListModel::statusChanged, this, &RolloutsTab::onStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RolloutsTab::updateHistogram);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RolloutsTab::showDetail);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RolloutsTab::showDetail);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &RolloutsTab::showDetail);
    connect(m_exportJsonl, &QPushButton::clicked, this,
            [this] { exportWithDialog(ExportFormat::Jsonl); });
    connect(m_exportCsv, &QPushButton::clicked, this,
            [this] { exportWithDialog(ExportFormat::Csv); });
    connect(m_openInPlayground, &QPushButton::clicked, this, &RolloutsTab::openInPlayground);
    m_only->setText(tr("No job."));
    m_stack->setCurrentWidget(m_only);
}

void RolloutsTab::setJob(const client::TrainingJob &job)
{
    const bool other = !m_hasJob || job.name != m_job.name;
    const bool ended = m_hasJob && client::isTrainingJobChanging(m_job.state) &&
                       !client::isTrainingJobChanging(job.state);
    m_job = job;
    m_hasJob = true;
    if (job.kind != client::TrainingJobKind::Rft) {
        m_model->clear();
        m_only->setText(tr("Rollouts exist for reinforcement fine-tuning (RFT) jobs only."));
        m_stack->setCurrentWidget(m_only);
        return;
    }
    if (m_model->status() == models::RolloutListModel::Status::NotAvailable && !other)
        return; // the server said so once; it does not grow the route while we watch
    if (other) {
        m_epochsShown = 0;
        m_followLatest = true;
        m_stepBackIfEmpty = false;
        m_epoch->clear();
        m_model->clear();
        m_detail->clear();
    }
    m_stack->setCurrentIndex(1);
    const int before = m_epochsShown;
    updateEpochs();
    if (m_epochsShown == 0) {
        m_message->setText(tr("No rollouts yet: the job has not started training."));
        return;
    }
    // A new epoch is shown when it appears unless the user picked an older one (one still
    // without rollouts gives way to the latest with some, in onStatus). When the job ends its
    // last rollouts have landed: the final epoch is shown again (the running one may have been
    // passed over while empty), or the user's own choice read again.
    if ((m_epochsShown != before || ended) && m_followLatest) {
        m_epoch->setCurrentIndex(m_epochsShown - 1);
        m_stepBackIfEmpty = true;
        loadSelectedEpoch();
    } else if (ended) {
        loadSelectedEpoch();
    }
}

void RolloutsTab::updateEpochs()
{
    const int n = epochsWithRollouts(m_job);
    // Counted from 1 as the header's "epoch 2/3" (the platform's epoch numbers start at 0).
    for (int e = m_epochsShown; e < n; ++e)
        m_epoch->addItem(tr("Epoch %1").arg(e + 1), e);
    m_epochsShown = std::max(m_epochsShown, n);
}

void RolloutsTab::loadSelectedEpoch()
{
    if (m_epoch->currentIndex() < 0)
        return;
    m_model->load(m_job.name, m_epoch->currentData().toInt());
}

void RolloutsTab::onStatus()
{
    using Status = models::RolloutListModel::Status;
    switch (m_model->status()) {
    case Status::NotAvailable:
        m_only->setText(tr("Rollouts are not available from this server."));
        m_stack->setCurrentWidget(m_only);
        return;
    case Status::Idle:
        m_message->clear();
        break;
    case Status::Loading:
        m_message->setText(tr("Loading rollouts…"));
        break;
    case Status::Loaded:
        if (m_stepBackIfEmpty && m_model->rowCount() == 0 && m_epoch->currentIndex() > 0) {
            // The running epoch has no rollouts yet: its "0 rollouts" and empty histogram
            // hid the epochs that have some. It stays in the chooser for the user to pick.
            m_epoch->setCurrentIndex(m_epoch->currentIndex() - 1);
            loadSelectedEpoch();
            return;
        }
        m_stepBackIfEmpty = false;
        // English plurals written out: Firedeck ships no translations to resolve %n forms.
        m_message->setText(m_model->rowCount() == 1
                               ? tr("1 rollout in this epoch.")
                               : tr("%1 rollouts in this epoch%2.")
                                     .arg(models::groupedInteger(m_model->rowCount()),
                                          promptsText(m_model->records())));
        break;
    case Status::Failed:
        m_message->setText(tr("Loading rollouts failed: %1").arg(m_model->errorText()));
        break;
    }
    m_exportJsonl->setEnabled(m_model->rowCount() > 0);
    m_exportCsv->setEnabled(m_model->rowCount() > 0);
}

void RolloutsTab::updateHistogram()
{
    m_histogram = m_model->scoreHistogram(kHistogramBins);
    QList<QPointF> outline;
    QStringList numbers;
    for (int i = 0; i < m_histogram.size(); ++i) {
        const double lo = double(i) / kHistogramBins;
        const double hi = double(i + 1) / kHistogramBins;
        outline << QPointF(lo, 0) << QPointF(lo, m_histogram[i]) << QPointF(hi, m_histogram[i])
                << QPointF(hi, 0);
        numbers.append(QStringLiteral("%1–%2: %3")
                           .arg(QString::number(lo, 'f', 1), QString::number(hi, 'f', 1))
                           .arg(m_histogram[i]));
    }
    m_chart->setSeries({widgets::CurveSeries{tr("Rollouts per score"), outline, QColor()}});
    m_bins->setText(tr("Scores of valid rollouts: %1").arg(numbers.join(QStringLiteral(" · "))));
}

void RolloutsTab::showDetail()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    m_openInPlayground->setEnabled(current.isValid());
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    const int row = m_proxy->mapToSource(current).row();
    const client::RolloutRecord &r = m_model->record(row);
    m_detail->setHtml(detailHtml(r, m_model->sample(row), models::rolloutDetail(r)));
}

void RolloutsTab::openInPlayground()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    PlaygroundReplay *replay = PlaygroundReplay::of(this);
    if (!replay) {
        m_message->setText(tr("The playground is not part of this window."));
        return;
    }
    const int row = m_proxy->mapToSource(current).row();
    const models::ReplayRequest request =
        models::rolloutReplay(m_model->record(row), m_job, m_model->sample(row));
    // Said here too: back on this tab, the user knows what the playground was given.
    m_message->setText(request.sampling.isEmpty()
                           ? tr("Opened in the playground with its own sampling settings (the "
                                "job does not say which its rollouts used).")
                           : tr("Opened in the playground with the rollouts' sampling: %1.")
                                 .arg(request.sampling.text()));
    Q_EMIT replay->replayRequested(request);
}

bool RolloutsTab::exportTo(const QString &path, ExportFormat format, QString *error)
{
    return format == ExportFormat::Jsonl
               ? models::writeRolloutsJsonl(path, m_model->records(), error)
               : models::writeRolloutsCsv(path, m_model->records(), error);
}

void RolloutsTab::exportWithDialog(ExportFormat format)
{
    const bool jsonl = format == ExportFormat::Jsonl;
    const QString suggested = QStringLiteral("%1-epoch-%2.%3")
                                  .arg(client::resourceId(m_job.name))
                                  .arg(m_model->epoch() + 1)
                                  .arg(jsonl ? QStringLiteral("jsonl") : QStringLiteral("csv"));
    auto *dialog = new QFileDialog(
        this, jsonl ? tr("Export rollouts as JSONL") : tr("Export rollouts as CSV"), suggested);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(jsonl ? tr("JSON Lines (*.jsonl)") : tr("CSV (*.csv)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, format](const QString &path) {
        QString error;
        if (exportTo(path, format, &error))
            m_message->setText(m_model->records().size() == 1
                                   ? tr("Wrote 1 rollout to %1.").arg(path)
                                   : tr("Wrote %1 rollouts to %2.")
                                         .arg(QString::number(m_model->records().size()), path));
        else
            m_message->setText(tr("Export failed, nothing was written: %1").arg(error));
    });
    dialog->open();
}

} // namespace ui
