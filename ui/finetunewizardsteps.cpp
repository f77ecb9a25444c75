// FineTuneParametersPage and FineTuneSummaryPage (ui/finetunewizardpages.h).

#include "finetunewizardpages.h"

#include <ui/commandequivalents.h>
#include <ui/dialogparts.h>

#include <client/apiclient.h>
#include <client/resourcenames.h>
#include <client/trainingjobrules.h>

#include <QAbstractButton>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

QString groupTitle(client::TrainingJobKind kind, client::ParameterGroup group)
{
    switch (group) {
    case client::ParameterGroup::Training:
        return FineTuneParametersPage::tr("Training");
    case client::ParameterGroup::Sampling:
        return FineTuneParametersPage::tr("Rollouts (sampling)");
    case client::ParameterGroup::Loss:
        return FineTuneParametersPage::tr("Loss");
    case client::ParameterGroup::Job:
        return kind == client::TrainingJobKind::Rft
                   ? FineTuneParametersPage::tr("Rollout scheduling")
                   : FineTuneParametersPage::tr("Job");
    }
    return {};
}

QString duration(qint64 seconds)
{
    if (seconds < 60)
        return FineTuneSummaryPage::tr("under a minute");
    if (seconds < 3600)
        return FineTuneSummaryPage::tr("about %1 min").arg((seconds + 59) / 60);
    return FineTuneSummaryPage::tr("about %1 h %2 min")
        .arg(seconds / 3600)
        .arg(seconds % 3600 / 60);
}

} // namespace

// --- Hyperparameters

FineTuneParametersPage::FineTuneParametersPage(FineTuneWizard *wizard, FineTuneWizardState &state)
    : m_wizard(wizard), m_state(state)
{
    setTitle(tr("Hyperparameters"));
    setSubTitle(tr("Empty fields keep the platform's default. Each value is checked against the "
                   "documented range as you type; nothing is sent before Create."));
    auto *outer = new QVBoxLayout(this);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    // Always there, so the knobs' width is the same before and after their height is known:
    // a scroll bar appearing after the wrapped hints were measured left some of them a line
    // short, their second line cut.
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *inner = new QWidget(scroll);
    auto *innerLayout = new QVBoxLayout(inner);
    m_knobsLayout = new QVBoxLayout;
    innerLayout->addLayout(m_knobsLayout);
    auto *wandb = new QGroupBox(tr("Weights && Biases (optional)"), inner);
    auto *wandbForm = new QFormLayout(wandb);
    m_wandbProject = new QLineEdit(wandb);
    wandbForm->addRow(tr("W&&B pro&ject:"), m_wandbProject);
    m_wandbEntity = new QLineEdit(wandb);
    wandbForm->addRow(tr("W&&B entit&y:"), m_wandbEntity);
    m_wandbKey = new QLineEdit(wandb);
    m_wandbKey->setEchoMode(QLineEdit::Password);
    m_wandbKey->setToolTip(tr("Sent with the job; never part of the copied commands (they read "
                              "$WANDB_API_KEY)."));
    wandbForm->addRow(tr("W&&B API &key:"), m_wandbKey);
    m_wandbMessage = new QLabel(wandb);
    m_wandbMessage->setWordWrap(true);
    m_wandbMessage->setStyleSheet(QStringLiteral("color: %1;").arg(errorColor().name()));
    m_wandbMessage->hide();
    wandbForm->addRow(m_wandbMessage);
    for (QLineEdit *e : {m_wandbProject, m_wandbEntity, m_wandbKey})
        connect(e, &QLineEdit::textChanged, this, [this] { checkWandb(); });
    innerLayout->addWidget(wandb);
    innerLayout->addStretch(1);
    scroll->setWidget(inner);
    outer->addWidget(scroll);
}

void FineTuneParametersPage::build()
{
    delete m_knobsHost;
    m_knobs.clear();
    m_knobsHost = new QWidget;
    auto *hostLayout = new QVBoxLayout(m_knobsHost);
    hostLayout->setContentsMargins(0, 0, 0, 0);
    m_knobsLayout->addWidget(m_knobsHost);
    const client::TrainingJobKind kind = m_state.draft.kind;
    // A grid, not a QFormLayout: the form gave a field of an editor over a wrapped hint the
    // height of one hint line, cutting the second off; a grid sizes it by its width.
    QHash<int, QGridLayout *> forms;
    int labelWidth = 0;
    for (const client::HyperParameter &p : client::creatableHyperParameters(kind)) {
        QGridLayout *&form = forms[int(p.group)];
        if (!form) {
            auto *box = new QGroupBox(groupTitle(kind, p.group), m_knobsHost);
            form = new QGridLayout(box);
            form->setColumnStretch(1, 1);
            hostLayout->addWidget(box);
        }
        Knob knob{p, nullptr, nullptr};
        if (client::hyperParameterInput(p) == client::ParameterInput::Choice) {
            auto *combo = new QComboBox(m_knobsHost);
            combo->addItem(tr("Default (%1)").arg(p.defaultText), QString());
            for (const QString &c : client::hyperParameterChoices(kind, p))
                combo->addItem(c, c);
            knob.editor = combo;
        } else {
            auto *edit = new QLineEdit(m_knobsHost);
            edit->setPlaceholderText(tr("default: %1").arg(p.defaultText));
            knob.editor = edit;
        }
        knob.editor->setObjectName(QStringLiteral("knob_") + p.field);
        knob.editor->setAccessibleName(p.label);
        const QString help = client::hyperParameterHelp(p);
        knob.editor->setToolTip(help);
        auto *cell = new QWidget(m_knobsHost);
        auto *cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(0, 0, 0, 0);
        cellLayout->setSpacing(1);
        cellLayout->addWidget(knob.editor);
        QString hint = tr("Default %1").arg(p.defaultText);
        const QString allowed = client::hyperParameterAllowed(p);
        if (!allowed.isEmpty())
            hint += tr(" · allowed %1").arg(allowed);
        if (!p.rangeText.isEmpty() && p.rangeText != allowed)
            hint += QStringLiteral(" · ") + p.rangeText; // a note (legacy, V2 only, …)
        if (!help.isEmpty())
            hint += QStringLiteral(" · ") + help;
        auto *hintLabel = new QLabel(hint, cell);
        hintLabel->setWordWrap(true);
        // Dimmer than the knob's name but readable: the disabled colour is 3.5:1 on dark.
        QPalette dim = hintLabel->palette();
        dim.setColor(QPalette::WindowText, hintColor(dim));
        hintLabel->setPalette(dim);
        cellLayout->addWidget(hintLabel);
        knob.message = new QLabel(cell);
        knob.message->setWordWrap(true);
        knob.message->setStyleSheet(QStringLiteral("color: %1;").arg(errorColor().name()));
        knob.message->hide();
        cellLayout->addWidget(knob.message);
        auto *label = new QLabel(p.label + QLatin1Char(':'), m_knobsHost);
        label->setBuddy(knob.editor);
        // Level with the editor's text, as a form's label is.
        label->setMinimumHeight(knob.editor->sizeHint().height());
        labelWidth = std::max(labelWidth, label->sizeHint().width());
        const int row = form->count() / 2; // a label and a cell per row
        form->addWidget(label, row, 0, Qt::AlignTop);
        form->addWidget(cell, row, 1);
        m_knobs.append(knob);
        const qsizetype index = m_knobs.size() - 1;
        if (auto *edit = qobject_cast<QLineEdit *>(knob.editor))
            connect(edit, &QLineEdit::textChanged, this, [this, index] { check(m_knobs[index]); });
    }
    // One label column for every group: each grid sized its own, so the fields of Training,
    // Rollouts and Loss started at different places down the page.
    for (QGridLayout *form : std::as_const(forms))
        form->setColumnMinimumWidth(0, labelWidth);
    m_builtFor = kind;
}

void FineTuneParametersPage::initializePage()
{
    if (m_builtFor != m_state.draft.kind)
        build();
    // The model's context and the dataset's size bound some knobs: check them again.
    if (m_builtLimit != m_state.draft.contextLimit ||
        m_builtExamples != m_state.draft.trainingExamples) {
        m_builtLimit = m_state.draft.contextLimit;
        m_builtExamples = m_state.draft.trainingExamples;
        for (Knob &k : m_knobs)
            check(k);
    }
}

QString FineTuneParametersPage::knobText(const Knob &knob) const
{
    if (auto *combo = qobject_cast<QComboBox *>(knob.editor))
        return combo->currentData().toString();
    return qobject_cast<QLineEdit *>(knob.editor)->text();
}

bool FineTuneParametersPage::check(Knob &knob)
{
    QString message = client::checkHyperParameter(knob.parameter, knobText(knob), nullptr,
                                                  m_state.draft.contextLimit);
    if (message.isEmpty() && knob.parameter.field == QLatin1String("epochs"))
        message = client::checkEpochsForExamples(m_state.draft.kind, knobText(knob),
                                                 m_state.draft.trainingExamples);
    knob.message->setText(message);
    knob.message->setVisible(!message.isEmpty());
    return message.isEmpty();
}

bool FineTuneParametersPage::checkWandb()
{
    client::TrainingJobDraft d;
    d.wandbProject = m_wandbProject->text();
    d.wandbEntity = m_wandbEntity->text();
    d.wandbApiKey = m_wandbKey->text();
    QString message;
    for (const client::DraftProblem &p : client::checkTrainingJobDraft(d))
        if (p.field == QLatin1String("wandb"))
            message = p.message;
    m_wandbMessage->setText(message);
    m_wandbMessage->setVisible(!message.isEmpty());
    return message.isEmpty();
}

bool FineTuneParametersPage::setKnob(const QString &field, const QString &text)
{
    for (Knob &k : m_knobs) {
        if (k.parameter.field != field)
            continue;
        if (auto *combo = qobject_cast<QComboBox *>(k.editor)) {
            const int i = combo->findData(text);
            if (i < 0)
                return false;
            combo->setCurrentIndex(i);
        } else {
            qobject_cast<QLineEdit *>(k.editor)->setText(text);
        }
        return true;
    }
    return false;
}

QWidget *FineTuneParametersPage::knobEditor(const QString &field) const
{
    for (const Knob &k : m_knobs)
        if (k.parameter.field == field)
            return k.editor;
    return nullptr;
}

QLabel *FineTuneParametersPage::knobMessage(const QString &field) const
{
    for (const Knob &k : m_knobs)
        if (k.parameter.field == field)
            return k.message;
    return nullptr;
}

bool FineTuneParametersPage::validatePage()
{
    QWidget *firstBad = nullptr;
    m_state.draft.knobs.clear();
    for (Knob &k : m_knobs) {
        if (!check(k) && !firstBad)
            firstBad = k.editor;
        const QString text = knobText(k).trimmed();
        if (!text.isEmpty())
            m_state.draft.knobs.insert(k.parameter.field, text);
    }
    if (!checkWandb() && !firstBad)
        firstBad = m_wandbProject;
    if (firstBad) {
        firstBad->setFocus();
        return false;
    }
    m_state.draft.wandbProject = m_wandbProject->text().trimmed();
    m_state.draft.wandbEntity = m_wandbEntity->text().trimmed();
    m_state.draft.wandbApiKey = m_wandbKey->text();
    return true;
}

// --- Summary

FineTuneSummaryPage::FineTuneSummaryPage(FineTuneWizard *wizard, FineTuneWizardState &state)
    : m_wizard(wizard), m_state(state)
{
    setTitle(tr("Summary"));
    setSubTitle(tr("What will be sent, what it is expected to take, and the same request for "
                   "scripts. Create starts the job and opens it in the training monitor."));
    auto *layout = new QVBoxLayout(this);
    const auto label = [this] {
        auto *l = new QLabel(this);
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return l;
    };
    m_summary = label();
    layout->addWidget(m_summary);
    auto *estimates = new QGroupBox(tr("Estimates"), this);
    auto *estimatesLayout = new QVBoxLayout(estimates);
    m_estimate = label();
    m_cost = label();
    estimatesLayout->addWidget(m_estimate);
    estimatesLayout->addWidget(m_cost);
    layout->addWidget(estimates);
    m_commands = new CommandEquivalents([this] { return firectlCommand(); },
                                        [this] { return curlCommand(); }, this);
    m_commands->setCurlToolTip(tr("Copies the curl request that creates this job; it reads the "
                                  "API key from $FIREWORKS_API_KEY (and a W&B key from "
                                  "$WANDB_API_KEY)"));
    layout->addWidget(m_commands);
    m_status = label();
    m_status->setObjectName(QStringLiteral("createStatus"));
    layout->addWidget(m_status);
    layout->addStretch(1);
}

QString FineTuneSummaryPage::firectlCommand() const
{
    client::TrainingJob job = client::trainingJobFromDraft(m_state.draft);
    if (m_state.draft.evaluatorFromUpload && m_state.upload)
        job.evaluator =
            client::evaluatorName(m_wizard->api()->accountId(), m_state.upload->evaluatorId);
    const QString command = client::firectlCreateTrainingJobCommand(m_wizard->api()->accountId(),
                                                                    m_state.draft.jobId, job);
    if (!m_state.draft.evaluatorFromUpload || !m_state.upload)
        return command;
    // firectl cannot upload an evaluator's code: say what has to exist first.
    return tr("# The evaluator %1 must exist and be ACTIVE first: Create uploads %2 for you.\n")
               .arg(job.evaluator, m_state.upload->folder) +
           command;
}

QString FineTuneSummaryPage::curlCommand() const
{
    client::TrainingJob job = client::trainingJobFromDraft(m_state.draft);
    if (m_state.draft.evaluatorFromUpload && m_state.upload)
        job.evaluator =
            client::evaluatorName(m_wizard->api()->accountId(), m_state.upload->evaluatorId);
    return client::curlCreateTrainingJobCommand(m_wizard->api(), m_state.draft.jobId, job);
}

void FineTuneSummaryPage::initializePage()
{
    const client::TrainingJobDraft &d = m_state.draft;
    const client::TrainingJob job = client::trainingJobFromDraft(d);
    QStringList lines;
    lines << tr("%1 job%2")
                 .arg(client::trainingJobKindTitle(d.kind),
                      d.jobId.isEmpty() ? QString() : QStringLiteral(" ") + d.jobId);
    lines << (d.baseModel.isEmpty() ? tr("Continues from the LoRA %1").arg(d.warmStartFrom)
                                    : tr("Base model: %1").arg(d.baseModel));
    lines << tr("Output model: %1")
                 .arg(d.outputModelId.isEmpty() ? tr("named after the job") : d.outputModelId);
    lines << tr("Training dataset: %1").arg(d.dataset);
    lines << (d.evaluationDataset.isEmpty()
                  ? (d.evalAutoCarveout ? tr("Evaluation: a split carved out of the training data")
                                        : tr("Evaluation: none"))
                  : tr("Evaluation dataset: %1").arg(d.evaluationDataset));
    if (d.kind == client::TrainingJobKind::Rft)
        lines << (d.evaluatorFromUpload && m_state.upload
                      ? tr("Evaluator: %1, uploaded from %2 first (entry point %3)")
                            .arg(m_state.upload->evaluatorId, m_state.upload->folder,
                                 m_state.upload->entryPoint)
                      : tr("Evaluator: %1").arg(d.evaluator));
    if (d.kind == client::TrainingJobKind::Rft && !d.mcpServer.isEmpty())
        lines << tr("MCP server for the rollouts: %1").arg(d.mcpServer);
    QStringList set;
    for (const client::HyperParameter &p : client::creatableHyperParameters(d.kind))
        if (d.knobs.contains(p.field))
            set << QStringLiteral("%1 = %2").arg(p.label, d.knobs.value(p.field));
    lines
        << (set.isEmpty()
                ? tr("Hyperparameters: the platform's defaults")
                : tr("Hyperparameters: %1 (the rest default)").arg(set.join(QStringLiteral(", "))));
    if (!d.wandbProject.isEmpty())
        lines << tr("Weights & Biases: %1/%2").arg(d.wandbEntity, d.wandbProject);
    m_summary->setText(lines.join(QLatin1Char('\n')));

    qint64 tokens = 0, examples = 0, parameters = 0;
    QString tokenSource;
    for (const client::Dataset &ds : std::as_const(m_state.datasets))
        if (ds.name == d.dataset) {
            tokens = m_state.countedTokens.value(ds.name, ds.estimatedTokenCount);
            tokenSource = m_state.countedTokens.contains(ds.name)
                              ? tr("counted by the dataset wizard with the model's tokenizer")
                              : tr("the platform's token estimate for the dataset");
            examples = ds.exampleCount;
        }
    QString base = d.baseModel;
    for (const client::Model &m : std::as_const(m_state.loras))
        if (m.name == d.warmStartFrom && m.peftDetails)
            base = m.peftDetails->baseModel; // a LoRA trains at its base model's speed
    for (const client::Model &m : std::as_const(m_state.baseModels))
        if (m.name == base && m.baseModelDetails)
            parameters = m.baseModelDetails->parameterCount;
    const client::TrainingEstimate e = client::estimateTraining(job, tokens, examples, parameters);
    const QLocale locale;
    QStringList est;
    const QString epochsText = e.epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(e.epochs);
    if (e.datasetTokens > 0 && e.rolloutsPerPrompt > 0)
        // RFT counts the rollouts, not the prompts alone: the sum is written out, so that
        // "124 × 2 epochs → 66,528" does not read as a wrong product.
        est << tr("Tokens: (%1 in the prompts (%2) + %3 prompts × %4 max tokens per rollout) × "
                  "%5 rollouts per prompt × %6 → %7 tokens at most (estimate)")
                   .arg(locale.toString(e.datasetTokens), tokenSource, locale.toString(e.examples),
                        locale.toString(e.maxOutputTokens), QString::number(e.rolloutsPerPrompt),
                        epochsText, locale.toString(e.trainingTokens));
    else if (e.datasetTokens > 0)
        // English plurals written out: Firedeck ships no translations to resolve %n forms.
        est << (e.epochs == 1
                    ? tr("Tokens: %1 in the training data (%2) × 1 epoch → %3 training "
                         "tokens (estimate)")
                          .arg(locale.toString(e.datasetTokens), tokenSource,
                               locale.toString(e.trainingTokens))
                    : tr("Tokens: %1 in the training data (%2) × %3 epochs → %4 "
                         "training tokens (estimate)")
                          .arg(locale.toString(e.datasetTokens), tokenSource,
                               QString::number(e.epochs), locale.toString(e.trainingTokens)));
    if (e.seconds)
        est << tr("Time: %1 (estimate)").arg(duration(*e.seconds));
    est << e.assumptions;
    m_estimate->setText(est.join(QLatin1Char('\n')));

    const int request = ++m_costRequest;
    if (!client::hasPlatformCostEstimate(d.kind)) {
        // The docs this app carries (platform-api.md, the fine-tuning pages) give no price for
        // either method, nor a rule relating it to SFT's: nothing is made up here.
        m_cost->setText(
            d.kind == client::TrainingJobKind::Dpo
                ? tr("Cost: no estimate for DPO. The documentation gives no DPO price — nothing "
                     "per training token and no rule relating it to SFT's — and the platform's "
                     ":estimateCost takes SFT jobs only. It says fine-tuning is billed per token "
                     "of training data; the figures are on fireworks.ai/pricing.")
                : tr("Cost: no estimate for RFT. The documentation gives no RFT price — nothing "
                     "per token and nothing per GPU-hour — and the platform's :estimateCost "
                     "takes SFT jobs only. It says fine-tuning is billed per token of training "
                     "data; the figures are on fireworks.ai/pricing."));
        return;
    }
    m_cost->setText(tr("Cost: asking the platform…"));
    client::ApiClient::BackgroundScope quiet(m_wizard->api());
    auto *call = client::TrainingJobsClient(m_wizard->api(), d.kind).estimateCost(job);
    connect(call, &client::PendingCallBase::finished, this, [this, call, request] {
        if (request != m_costRequest)
            return;
        if (!call->result().ok()) {
            m_cost->setText(tr("Cost: the platform gave no estimate (%1). The documentation gives "
                               "no SFT price per training token (the figures are on "
                               "fireworks.ai/pricing), so none is computed here.")
                                .arg(call->result().error().message));
            return;
        }
        const client::Money &m = call->result().value();
        const QString amount = QLocale().toString(m.value(), 'f', 2);
        m_cost->setText(
            client::isLoopbackPlatform(m_wizard->api()->baseUrl())
                ? tr("Cost: %1 %2 — the Local sandbox's simulated :estimateCost answer, not a "
                     "price; the real platform answers the same request with its own estimate.")
                      .arg(amount, m.currencyCode)
                : tr("Cost: %1 %2 — the platform's own estimate (:estimateCost) for these "
                     "settings; the bill may differ.")
                      .arg(amount, m.currencyCode));
    });
}

void FineTuneSummaryPage::cleanupPage()
{
    ++m_costRequest; // a late answer is for a summary no longer shown
    m_status->clear();
}

bool FineTuneSummaryPage::isComplete() const
{
    return !m_running;
}

bool FineTuneSummaryPage::validatePage()
{
    if (m_created)
        return true;
    if (!m_running) {
        m_running = true;
        m_status->setText(tr("Creating…"));
        Q_EMIT completeChanged();
        // No going back to change what is being sent (completeChanged() enables it again).
        if (QAbstractButton *back = m_wizard->button(QWizard::BackButton))
            back->setEnabled(false);
        m_wizard->create();
    }
    return false;
}

void FineTuneSummaryPage::showProgress(const QString &text)
{
    m_status->setText(text);
}

void FineTuneSummaryPage::showFailure(const QString &text)
{
    m_running = false;
    m_status->setText(tr("Not created: %1").arg(text));
    Q_EMIT completeChanged();
}

void FineTuneSummaryPage::setCreated(bool created)
{
    m_created = created;
    m_running = false;
    Q_EMIT completeChanged();
}

} // namespace ui
