#include "finetunewizardpages.h"

#include <ui/commandequivalents.h>
#include <ui/dialogparts.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/resourcenames.h>
#include <client/trainingjobrules.h>
#include <models/evaluatorfolder.h>

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QVBoxLayout>

namespace ui {

namespace {

QString modelText(const client::Model &m)
{
    const QString id = client::resourceId(m.name);
    return m.displayName.isEmpty() || m.displayName == id
               ? m.name
               : QStringLiteral("%1 — %2").arg(m.displayName, m.name);
}

//! An ID from a display text: lower case a-z 0-9 and '-', starting with a letter.

QLabel *messageLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(errorColor().name()));
    label->hide();
    return label;
}

void showMessage(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

//! The line that says the pickers are still filling (or which list is incomplete).
QLabel *listsStatusLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setAccessibleName(QObject::tr("Lists loading"));
    label->hide();
    return label;
}

} // namespace

// --- Method & model

FineTuneMethodPage::FineTuneMethodPage(FineTuneWizard *wizard, FineTuneWizardState &state)
    : m_wizard(wizard), m_state(state)
{
    setTitle(tr("Method and model"));
    setSubTitle(tr("How the model learns, what it starts from and what the result is called."));
    auto *layout = new QVBoxLayout(this);
    auto *methods = new QGroupBox(tr("Method"), this);
    auto *methodsLayout = new QVBoxLayout(methods);
    m_kinds = new QButtonGroup(this);
    const struct
    {
        client::TrainingJobKind kind;
        const char *text;
        const char *help;
    } kinds[] = {
        {client::TrainingJobKind::Sft, QT_TR_NOOP("&Supervised fine-tuning (SFT)"),
         QT_TR_NOOP("Learns to answer like the examples' assistant turns.")},
        {client::TrainingJobKind::Dpo, QT_TR_NOOP("&Preference tuning (DPO)"),
         QT_TR_NOOP("Learns to prefer the chosen answer over the rejected one.")},
        {client::TrainingJobKind::Rft, QT_TR_NOOP("&Reinforcement fine-tuning (RFT)"),
         QT_TR_NOOP("Samples answers and learns from an evaluator's scores.")},
    };
    for (const auto &k : kinds) {
        auto *button = new QRadioButton(tr(k.text), methods);
        button->setToolTip(tr(k.help));
        m_kinds->addButton(button, int(k.kind));
        methodsLayout->addWidget(button);
    }
    m_kinds->button(int(client::TrainingJobKind::Sft))->setChecked(true);
    layout->addWidget(methods);

    auto *form = new QFormLayout;
    m_fromBase = new QRadioButton(tr("&Base model:"), this);
    m_base = new QComboBox(this);
    m_base->setAccessibleName(tr("Base model"));
    m_base->setToolTip(tr("Only models the platform can tune are listed: the catalog's and "
                          "your account's."));
    form->addRow(m_fromBase, m_base);
    m_fromLora = new QRadioButton(tr("Continue from a &LoRA:"), this);
    m_lora = new QComboBox(this);
    m_lora->setAccessibleName(tr("LoRA to continue from"));
    m_lora->setToolTip(tr("Warm start: training continues from one of your fine-tuned LoRAs."));
    form->addRow(m_fromLora, m_lora);
    m_fromBase->setChecked(true);
    m_output = new QLineEdit(this);
    m_output->setPlaceholderText(tr("the job's ID when empty"));
    form->addRow(tr("&Output model ID:"), m_output);
    m_displayName = new QLineEdit(this);
    form->addRow(tr("&Display name:"), m_displayName);
    m_jobId = new QLineEdit(this);
    m_jobId->setPlaceholderText(tr("the platform picks one when empty"));
    form->addRow(tr("&Job ID:"), m_jobId);
    layout->addLayout(form);
    m_lists = listsStatusLabel(this);
    layout->addWidget(m_lists);
    m_problem = messageLabel(this);
    layout->addWidget(m_problem);
    layout->addStretch(1);

    connect(m_wizard, &FineTuneWizard::listsChanged, this, &FineTuneMethodPage::fillModels);
    for (QObject *o : {static_cast<QObject *>(m_fromBase), static_cast<QObject *>(m_fromLora)})
        connect(qobject_cast<QRadioButton *>(o), &QRadioButton::toggled, this, [this] {
            m_base->setEnabled(m_fromBase->isChecked());
            m_lora->setEnabled(m_fromLora->isChecked());
            Q_EMIT completeChanged();
        });
    connect(m_base, &QComboBox::currentIndexChanged, this, &QWizardPage::completeChanged);
    connect(m_lora, &QComboBox::currentIndexChanged, this, &QWizardPage::completeChanged);
    m_lora->setEnabled(false);
    fillModels();
}

void FineTuneMethodPage::fillModels()
{
    const QString base = m_base->currentData().toString();
    const QString lora = m_lora->currentData().toString();
    m_base->clear();
    for (const client::Model &m : std::as_const(m_state.baseModels))
        m_base->addItem(modelText(m), m.name);
    m_lora->clear();
    for (const client::Model &m : std::as_const(m_state.loras))
        m_lora->addItem(modelText(m), m.name);
    if (!base.isEmpty())
        selectBaseModel(base);
    if (const int i = m_lora->findData(lora); i >= 0)
        m_lora->setCurrentIndex(i);
    m_fromLora->setEnabled(m_lora->count() > 0);
    showMessage(m_lists, m_wizard->listsStatus());
    // Said once the lists are complete, and taken back when models arrive later.
    const QString none = tr("No tunable base model was found on this profile.");
    if (m_wizard->isLoaded() && m_base->count() == 0)
        showMessage(m_problem, none);
    else if (m_problem->text() == none)
        showMessage(m_problem, {});
    Q_EMIT completeChanged();
}

void FineTuneMethodPage::initializePage()
{
    fillModels();
}

void FineTuneMethodPage::setKind(client::TrainingJobKind kind)
{
    if (QAbstractButton *b = m_kinds->button(int(kind)))
        b->setChecked(true);
}

bool FineTuneMethodPage::selectBaseModel(const QString &name)
{
    const int i = m_base->findData(name);
    if (i < 0)
        return false;
    m_fromBase->setChecked(true);
    m_base->setCurrentIndex(i);
    return true;
}

bool FineTuneMethodPage::isComplete() const
{
    return m_fromBase->isChecked() ? m_base->currentIndex() >= 0 : m_lora->currentIndex() >= 0;
}

bool FineTuneMethodPage::validatePage()
{
    client::TrainingJobDraft &d = m_state.draft;
    d.kind = client::TrainingJobKind(m_kinds->checkedId());
    d.baseModel = m_fromBase->isChecked() ? m_base->currentData().toString() : QString();
    d.warmStartFrom = m_fromLora->isChecked() ? m_lora->currentData().toString() : QString();
    d.outputModelId = m_output->text().trimmed();
    d.displayName = m_displayName->text().trimmed();
    d.jobId = m_jobId->text().trimmed();
    d.contextLimit = 0;
    // A LoRA trains on its base model: that model's context length is the limit.
    QString base = d.baseModel;
    for (const client::Model &m : std::as_const(m_state.loras))
        if (m.name == d.warmStartFrom && m.peftDetails)
            base = m.peftDetails->baseModel;
    for (const client::Model &m : std::as_const(m_state.baseModels))
        if (m.name == base)
            d.contextLimit = m.contextLength;
    for (const client::DraftProblem &p : client::checkTrainingJobDraft(d)) {
        QLineEdit *edit = p.field == QLatin1String("jobId")           ? m_jobId
                          : p.field == QLatin1String("outputModelId") ? m_output
                                                                      : nullptr;
        if (edit || p.field == QLatin1String("baseModel")) {
            showMessage(m_problem, p.message);
            if (edit)
                edit->setFocus();
            return false;
        }
    }
    // The platform refuses a job whose output model exists (ALREADY_EXISTS), but only at Create.
    if (m_state.accountModelIds.contains(d.outputModelId)) {
        showMessage(m_problem, tr("Output model ID: the model %1 already exists in this account; "
                                  "type another ID (the job writes a new model).")
                                   .arg(d.outputModelId));
        m_output->setFocus();
        m_output->selectAll();
        return false;
    }
    showMessage(m_problem, {});
    return true;
}

// --- Data

FineTuneDataPage::FineTuneDataPage(FineTuneWizard *wizard, FineTuneWizardState &state)
    : m_wizard(wizard), m_state(state)
{
    setTitle(tr("Data"));
    setSubTitle(tr("READY datasets of this profile; for RFT the evaluator that scores rollouts."));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_form = form;
    m_dataset = new QComboBox(this);
    // A dataset made on the way: the dataset wizard opens over this one and hands its dataset
    // back, so what was chosen on the first page is not lost.
    m_newDataset = new QPushButton(icons::forAction(icons::Action::Wizard),
                                   tr("New with the dataset wi&zard…"), this);
    m_newDataset->setObjectName(QStringLiteral("newDatasetWithWizard"));
    m_newDataset->setAutoDefault(false);
    auto *datasetRow = new QHBoxLayout;
    datasetRow->addWidget(m_dataset, 1);
    datasetRow->addWidget(m_newDataset);
    form->addRow(tr("&Training dataset:"), datasetRow);
    // The row's label names the combo for Alt+T (a layout has no buddy of its own).
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(datasetRow)))
        label->setBuddy(m_dataset);
    m_datasetInfo = new QLabel(this);
    m_datasetInfo->setWordWrap(true);
    form->addRow(QString(), m_datasetInfo);
    m_evaluation = new QComboBox(this);
    form->addRow(tr("&Evaluation dataset:"), m_evaluation);
    m_carveOut = new QCheckBox(tr("&Carve an evaluation split out of the training data"), this);
    m_carveOut->setChecked(true);
    form->addRow(QString(), m_carveOut);
    layout->addLayout(form);
    m_lists = listsStatusLabel(this);
    layout->addWidget(m_lists);

    m_rft = new QGroupBox(tr("Evaluator (RFT)"), this);
    auto *rft = new QFormLayout(m_rft);
    m_useExisting = new QRadioButton(tr("&Use an evaluator:"), m_rft);
    m_evaluator = new QComboBox(m_rft);
    m_evaluator->setAccessibleName(tr("Evaluator"));
    rft->addRow(m_useExisting, m_evaluator);
    m_useUpload = new QRadioButton(tr("U&pload a code folder:"), m_rft);
    auto *folderRow = new QHBoxLayout;
    m_folder = new QLineEdit(m_rft);
    m_folder->setAccessibleName(tr("Evaluator code folder"));
    m_browse = new QPushButton(icons::forAction(icons::Action::Browse), tr("Bro&wse…"), m_rft);
    m_browse->setAutoDefault(false);
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);
    rft->addRow(m_useUpload, folderRow);
    m_evaluatorId = new QLineEdit(m_rft);
    rft->addRow(tr("Evaluator &ID:"), m_evaluatorId);
    m_evaluatorIdMessage = messageLabel(m_rft);
    rft->addRow(QString(), m_evaluatorIdMessage);
    m_entryPoint = new QLineEdit(m_rft);
    m_entryPoint->setPlaceholderText(tr("file.py::function"));
    rft->addRow(tr("E&ntry point:"), m_entryPoint);
    m_previewStatus = new QLabel(m_rft);
    m_previewStatus->setWordWrap(true);
    rft->addRow(QString(), m_previewStatus);
    m_preview = new QPlainTextEdit(m_rft);
    m_preview->setReadOnly(true);
    m_preview->setAccessibleName(tr("Entry point preview"));
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFont(QStringLiteral("monospace")));
    m_preview->setMinimumHeight(140);
    // Said while no folder is picked: an empty box told a new user nothing.
    m_preview->setPlaceholderText(
        tr("Pick the folder with the evaluator's code: a Python file defining the entry point "
           "function (scoring a rollout from 0.0 to 1.0) and a requirements.txt. The function "
           "shows here."));
    rft->addRow(m_preview);
    m_mcpServer = new QLineEdit(m_rft);
    m_mcpServer->setPlaceholderText(client::mcpServerPlaceholder());
    m_mcpServer->setToolTip(tr("The MCP server whose tools the rollouts may call (agentic "
                               "RFT). Empty: rollouts without tools."));
    rft->addRow(tr("&MCP server:"), m_mcpServer);
    m_mcpMessage = messageLabel(m_rft);
    rft->addRow(QString(), m_mcpMessage);
    m_useExisting->setChecked(true);
    layout->addWidget(m_rft, 1);

    connect(m_wizard, &FineTuneWizard::listsChanged, this, &FineTuneDataPage::fill);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, [this] {
        updateDatasetInfo();
        Q_EMIT completeChanged();
    });
    connect(m_evaluation, &QComboBox::currentIndexChanged, this,
            &FineTuneDataPage::updateEvaluationRows);
    connect(m_evaluator, &QComboBox::currentIndexChanged, this, &FineTuneDataPage::updatePreview);
    connect(m_useExisting, &QRadioButton::toggled, this, &QWizardPage::completeChanged);
    connect(m_useUpload, &QRadioButton::toggled, this, &FineTuneDataPage::updatePreview);
    connect(m_browse, &QPushButton::clicked, this, &FineTuneDataPage::browse);
    connect(m_newDataset, &QPushButton::clicked, m_wizard, &FineTuneWizard::openDatasetWizard);
    connect(m_folder, &QLineEdit::editingFinished, this, [this] {
        if (m_entryPoint->text().isEmpty())
            m_entryPoint->setText(models::guessEvaluatorEntryPoint(m_folder->text()));
        if (m_evaluatorId->text().isEmpty())
            m_evaluatorId->setText(client::resourceIdFrom(QFileInfo(m_folder->text()).fileName()));
        updatePreview();
    });
    connect(m_entryPoint, &QLineEdit::textChanged, this, &FineTuneDataPage::updatePreview);
    connect(m_evaluatorId, &QLineEdit::textChanged, this, [this] {
        showMessage(m_evaluatorIdMessage, {});
        Q_EMIT completeChanged();
    });
    connect(m_mcpServer, &QLineEdit::textChanged, this, [this] { showMessage(m_mcpMessage, {}); });
    fill();
}

void FineTuneDataPage::fill()
{
    const QScopedValueRollback<bool> filling(m_filling, true);
    const QString dataset = m_dataset->currentData().toString();
    const QString evaluation = m_evaluation->currentData().toString();
    const QString evaluator = m_evaluator->currentData().toString();
    m_dataset->clear();
    m_evaluation->clear();
    m_evaluation->addItem(tr("None"), QString());
    for (const client::Dataset &d : std::as_const(m_state.datasets)) {
        const QString text = tr("%1 (%2 examples)").arg(d.name).arg(d.exampleCount);
        m_dataset->addItem(text, d.name);
        m_evaluation->addItem(text, d.name);
    }
    m_evaluator->clear();
    for (const client::Evaluator &e : std::as_const(m_state.evaluators))
        m_evaluator->addItem(
            e.displayName.isEmpty() ? e.name : QStringLiteral("%1 — %2").arg(e.displayName, e.name),
            e.name);
    if (!selectDataset(dataset))
        selectDataset(m_state.preferredDataset);
    if (const int i = m_evaluation->findData(evaluation); i >= 0)
        m_evaluation->setCurrentIndex(i);
    selectEvaluator(evaluator);
    // With no evaluator to pick, an empty picker and a greyed Next said nothing: say so, and
    // turn to the code folder, the only way on.
    const bool noEvaluator = m_wizard->isLoaded() && m_evaluator->count() == 0;
    m_evaluator->setPlaceholderText(
        !m_wizard->isLoaded() ? tr("Loading…")
        : noEvaluator         ? tr("No ACTIVE evaluator on this profile yet: upload a code folder")
                              : QString());
    m_useExisting->setEnabled(!noEvaluator);
    if (noEvaluator && m_useExisting->isChecked())
        m_useUpload->setChecked(true);
    updateDatasetInfo();
    showMessage(m_lists, m_wizard->listsStatus());
    Q_EMIT completeChanged();
}

bool FineTuneDataPage::selectDataset(const QString &name)
{
    if (name.isEmpty())
        return false;
    // Handed over after the lists arrived: the combo is filled again (once; fill() calls here).
    if (m_dataset->findData(name) < 0 && m_wizard->isLoaded() && !m_filling)
        fill();
    const int i = m_dataset->findData(name);
    if (i >= 0)
        m_dataset->setCurrentIndex(i);
    return i >= 0;
}

bool FineTuneDataPage::selectEvaluator(const QString &name)
{
    const int i = m_evaluator->findData(name);
    if (i >= 0) {
        m_evaluator->setCurrentIndex(i);
        m_useExisting->setChecked(true);
    }
    return i >= 0;
}

void FineTuneDataPage::setEvaluatorFolder(const QString &dir, const QString &evaluatorId)
{
    m_useUpload->setChecked(true);
    m_folder->setText(dir);
    m_evaluatorId->setText(evaluatorId);
    m_entryPoint->setText(models::guessEvaluatorEntryPoint(dir));
    updatePreview();
}

void FineTuneDataPage::initializePage()
{
    const bool rft = m_state.draft.kind == client::TrainingJobKind::Rft;
    m_rft->setVisible(rft);
    fill();
    updateEvaluationRows();
    updatePreview();
}

void FineTuneDataPage::updateEvaluationRows()
{
    // The API takes an evaluation dataset on SFT and RFT jobs, not on DPO jobs (§3.11): for DPO
    // both rows go, rather than a checked "Carve…" box that would be left out of the job.
    const bool evaluationSet = m_state.draft.kind != client::TrainingJobKind::Dpo;
    m_form->setRowVisible(m_evaluation, evaluationSet);
    m_form->setRowVisible(m_carveOut, evaluationSet);
    m_evaluation->setEnabled(evaluationSet);
    m_carveOut->setEnabled(evaluationSet && m_evaluation->currentIndex() <= 0);
}

void FineTuneDataPage::updateDatasetInfo()
{
    const QString name = m_dataset->currentData().toString();
    for (const client::Dataset &d : std::as_const(m_state.datasets)) {
        if (d.name != name)
            continue;
        const qint64 counted = m_state.countedTokens.value(d.name);
        const QLocale locale; // 1,310,720 rather than 1310720
        m_datasetInfo->setText(
            counted > 0 ? tr("%1 examples, %2 tokens (counted by the dataset wizard)")
                              .arg(locale.toString(d.exampleCount), locale.toString(counted))
            : d.estimatedTokenCount > 0
                ? tr("%1 examples, about %2 tokens (the platform's estimate)")
                      .arg(locale.toString(d.exampleCount),
                           locale.toString(d.estimatedTokenCount))
                : tr("%1 examples; token count not known").arg(locale.toString(d.exampleCount)));
        return;
    }
    m_datasetInfo->setText(m_wizard->isLoaded() && m_dataset->count() == 0
                               ? tr("No READY dataset on this profile yet: make one with "
                                    "New with the dataset wizard; it is chosen here once READY.")
                               : QString());
}

void FineTuneDataPage::browse()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Evaluator code folder"), m_folder->text());
    if (dir.isEmpty())
        return;
    m_folder->setText(dir);
    Q_EMIT m_folder->editingFinished();
}

void FineTuneDataPage::updatePreview()
{
    const bool upload = m_useUpload->isChecked();
    m_evaluator->setEnabled(!upload);
    for (QWidget *w : {static_cast<QWidget *>(m_folder), static_cast<QWidget *>(m_browse),
                       static_cast<QWidget *>(m_evaluatorId), static_cast<QWidget *>(m_entryPoint)})
        w->setEnabled(upload);
    m_previewOk = false;
    // The code preview is for a folder; a picked evaluator is said in a line (its entry point),
    // not with an empty box filling the step.
    if (auto *form = qobject_cast<QFormLayout *>(m_rft->layout()))
        form->setRowVisible(m_preview, upload);
    if (!upload || m_folder->text().isEmpty()) {
        m_preview->clear();
        m_previewStatus->clear();
        const QString picked = m_evaluator->currentData().toString();
        for (const client::Evaluator &e : std::as_const(m_state.evaluators))
            if (!upload && e.name == picked && !e.entryPoint.isEmpty())
                m_previewStatus->setText(tr("Calls %1 in its uploaded code.").arg(e.entryPoint));
        Q_EMIT completeChanged();
        return;
    }
    const auto p = models::previewEvaluatorEntryPoint(m_folder->text(), m_entryPoint->text());
    m_previewOk = p.ok;
    const int files = int(models::evaluatorFolderFiles(m_folder->text()).size());
    // English plurals written out: Firedeck ships no translations to resolve %n forms.
    m_previewStatus->setText(
        !p.ok ? p.problem
        : files == 1
            ? tr("%1, line %2 (1 file will be uploaded)").arg(p.file, QString::number(p.line))
            : tr("%1, line %2 (%3 files will be uploaded)")
                  .arg(p.file, QString::number(p.line), QString::number(files)));
    m_preview->setPlainText(p.excerpt);
    Q_EMIT completeChanged();
}

bool FineTuneDataPage::isComplete() const
{
    if (m_dataset->currentIndex() < 0)
        return false;
    if (m_state.draft.kind != client::TrainingJobKind::Rft)
        return true;
    return m_useUpload->isChecked()
               ? m_previewOk && client::isValidResourceId(m_evaluatorId->text().trimmed())
               : m_evaluator->currentIndex() >= 0;
}

bool FineTuneDataPage::validatePage()
{
    client::TrainingJobDraft &d = m_state.draft;
    d.dataset = m_dataset->currentData().toString();
    d.trainingExamples = 0;
    for (const client::Dataset &ds : std::as_const(m_state.datasets))
        if (ds.name == d.dataset)
            d.trainingExamples = ds.exampleCount;
    const bool evaluationSet = d.kind != client::TrainingJobKind::Dpo;
    d.evaluationDataset = evaluationSet ? m_evaluation->currentData().toString() : QString();
    d.evalAutoCarveout = evaluationSet && d.evaluationDataset.isEmpty() && m_carveOut->isChecked();
    const bool rft = d.kind == client::TrainingJobKind::Rft;
    d.evaluatorFromUpload = rft && m_useUpload->isChecked();
    d.evaluator = rft && !d.evaluatorFromUpload ? m_evaluator->currentData().toString() : QString();
    d.mcpServer.clear();
    if (rft && !m_mcpServer->text().trimmed().isEmpty()) {
        d.mcpServer = client::mcpServerName(m_wizard->api()->accountId(), m_mcpServer->text());
        if (d.mcpServer.isEmpty()) {
            showMessage(m_mcpMessage, client::mcpServerRule());
            m_mcpServer->setFocus();
            return false;
        }
    }
    showMessage(m_mcpMessage, {});
    if (d.evaluatorFromUpload) {
        // Creating an evaluator under a taken ID is refused (ALREADY_EXISTS) only at Create;
        // the one this wizard made on an earlier Create is built again instead (see create()).
        const QString id = m_evaluatorId->text().trimmed();
        const auto taken = m_state.evaluatorStates.constFind(id);
        if (taken != m_state.evaluatorStates.cend() &&
            id != client::resourceId(m_wizard->madeEvaluator())) {
            showMessage(m_evaluatorIdMessage,
                        tr("An evaluator with the ID %1 already exists (%2): pick it under Use "
                           "an evaluator, or type another ID to upload this folder as a new one.")
                            .arg(id, taken->isEmpty() ? tr("state unknown") : *taken));
            m_evaluatorId->setFocus();
            m_evaluatorId->selectAll();
            return false;
        }
    }
    m_state.upload.reset();
    if (d.evaluatorFromUpload)
        m_state.upload = models::EvaluatorUpload{m_folder->text(), m_evaluatorId->text().trimmed(),
                                                 QString(), m_entryPoint->text().trimmed()};
    for (const client::DraftProblem &p : client::checkTrainingJobDraft(d))
        if (p.field == QLatin1String("dataset") || p.field == QLatin1String("evaluationDataset") ||
            p.field == QLatin1String("evaluator")) {
            m_datasetInfo->setText(p.message);
            return false;
        }
    return true;
}

} // namespace ui
