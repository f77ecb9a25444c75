#pragma once

// The pages of FineTuneWizard (ui/finetunewizard.h).

#include <ui/finetunewizard.h>

#include <QWizardPage>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QVBoxLayout;

namespace ui {

class CommandEquivalents;

class FineTuneMethodPage : public QWizardPage
{
    Q_OBJECT
public:
    FineTuneMethodPage(FineTuneWizard *wizard, FineTuneWizardState &state);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    void setKind(client::TrainingJobKind kind);
    //! Picks a base model (full name); false if it is not among the tunable ones.
    bool selectBaseModel(const QString &name);
    QComboBox *baseModelCombo() const { return m_base; }
    QComboBox *loraCombo() const { return m_lora; }
    QRadioButton *fromLoraButton() const { return m_fromLora; }
    QLineEdit *outputModelEdit() const { return m_output; }
    QLineEdit *jobIdEdit() const { return m_jobId; }
    QLabel *problemLabel() const { return m_problem; }
    //! "Loading…" while pages of the lists are still coming; why a list is incomplete.
    QLabel *listsLabel() const { return m_lists; }

private:
    void fillModels();
    FineTuneWizard *m_wizard;
    FineTuneWizardState &m_state;
    QButtonGroup *m_kinds;
    QRadioButton *m_fromBase;
    QRadioButton *m_fromLora;
    QComboBox *m_base;
    QComboBox *m_lora;
    QLineEdit *m_output;
    QLineEdit *m_displayName;
    QLineEdit *m_jobId;
    QLabel *m_problem;
    QLabel *m_lists;
};

class FineTuneDataPage : public QWizardPage
{
    Q_OBJECT
public:
    FineTuneDataPage(FineTuneWizard *wizard, FineTuneWizardState &state);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    bool selectDataset(const QString &name);
    bool selectEvaluator(const QString &name);
    //! RFT: upload the code folder `dir` as evaluator `evaluatorId` (entry point guessed).
    void setEvaluatorFolder(const QString &dir, const QString &evaluatorId);
    QComboBox *datasetCombo() const { return m_dataset; }
    QComboBox *evaluationCombo() const { return m_evaluation; }
    QCheckBox *carveOutCheck() const { return m_carveOut; }
    QComboBox *evaluatorCombo() const { return m_evaluator; }
    QRadioButton *useEvaluatorRadio() const { return m_useExisting; }
    QRadioButton *uploadFolderRadio() const { return m_useUpload; }
    QLineEdit *entryPointEdit() const { return m_entryPoint; }
    QPlainTextEdit *previewView() const { return m_preview; }
    QLabel *previewStatus() const { return m_previewStatus; }
    QLabel *evaluatorIdMessage() const { return m_evaluatorIdMessage; }
    QLabel *datasetInfo() const { return m_datasetInfo; }
    QLabel *listsLabel() const { return m_lists; }
    //! RFT: the MCP server for agentic rollouts (optional) and what is wrong with it.
    QLineEdit *mcpServerEdit() const { return m_mcpServer; }
    QLabel *mcpServerMessage() const { return m_mcpMessage; }

private:
    void fill();
    void updateDatasetInfo();
    void updateEvaluationRows();
    void updatePreview();
    void browse();
    FineTuneWizard *m_wizard;
    FineTuneWizardState &m_state;
    QFormLayout *m_form;
    QComboBox *m_dataset;
    QPushButton *m_newDataset;
    QLabel *m_datasetInfo;
    QLabel *m_lists;
    QComboBox *m_evaluation;
    QCheckBox *m_carveOut;
    QGroupBox *m_rft;
    QRadioButton *m_useExisting;
    QRadioButton *m_useUpload;
    QComboBox *m_evaluator;
    QLineEdit *m_folder;
    QPushButton *m_browse;
    QLineEdit *m_evaluatorId;
    QLabel *m_evaluatorIdMessage;
    QLineEdit *m_entryPoint;
    QLabel *m_previewStatus;
    QPlainTextEdit *m_preview;
    QLineEdit *m_mcpServer;
    QLabel *m_mcpMessage;
    bool m_previewOk = false;
    bool m_filling = false;
};

class FineTuneParametersPage : public QWizardPage
{
    Q_OBJECT
public:
    FineTuneParametersPage(FineTuneWizard *wizard, FineTuneWizardState &state);
    void initializePage() override;
    bool validatePage() override;
    //! Types `text` into the knob's field (tests); false when the kind has no such knob.
    bool setKnob(const QString &field, const QString &text);
    //! The knob's input (a QLineEdit or a QComboBox) and its message line.
    QWidget *knobEditor(const QString &field) const;
    QLabel *knobMessage(const QString &field) const;
    QLineEdit *wandbProjectEdit() const { return m_wandbProject; }
    QLineEdit *wandbEntityEdit() const { return m_wandbEntity; }
    QLineEdit *wandbKeyEdit() const { return m_wandbKey; }
    QLabel *wandbMessage() const { return m_wandbMessage; }

private:
    struct Knob
    {
        client::HyperParameter parameter;
        QWidget *editor = nullptr;
        QLabel *message = nullptr;
    };
    void build();
    QString knobText(const Knob &knob) const;
    //! Checks one knob as typed and shows its message; true when fine.
    bool check(Knob &knob);
    bool checkWandb();
    FineTuneWizard *m_wizard;
    FineTuneWizardState &m_state;
    std::optional<client::TrainingJobKind> m_builtFor;
    int m_builtLimit = -1;
    qint64 m_builtExamples = -1;
    QVBoxLayout *m_knobsLayout;
    QWidget *m_knobsHost = nullptr;
    QList<Knob> m_knobs;
    QLineEdit *m_wandbProject;
    QLineEdit *m_wandbEntity;
    QLineEdit *m_wandbKey;
    QLabel *m_wandbMessage;
};

class FineTuneSummaryPage : public QWizardPage
{
    Q_OBJECT
public:
    FineTuneSummaryPage(FineTuneWizard *wizard, FineTuneWizardState &state);
    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;
    bool validatePage() override;
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *estimateLabel() const { return m_estimate; }
    QLabel *costLabel() const { return m_cost; }
    QLabel *statusLabel() const { return m_status; }
    CommandEquivalents *commands() const { return m_commands; }
    QString firectlCommand() const;
    QString curlCommand() const;
    //! Called by the wizard as its flow reports.
    void showProgress(const QString &text);
    void showFailure(const QString &text);
    void setCreated(bool created);

private:
    FineTuneWizard *m_wizard;
    FineTuneWizardState &m_state;
    QLabel *m_summary;
    QLabel *m_estimate;
    QLabel *m_cost;
    QLabel *m_status;
    CommandEquivalents *m_commands;
    bool m_running = false;
    bool m_created = false;
    int m_costRequest = 0;
};

} // namespace ui
