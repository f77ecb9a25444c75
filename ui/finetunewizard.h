#pragma once

#include <client/datasets.h>
#include <client/evaluators.h>
#include <client/models.h>
#include <client/trainingjobdraft.h>
#include <models/finetuneflow.h>

#include <QHash>
#include <QSet>
#include <QSize>
#include <QWizard>

#include <optional>

namespace client {
class ApiClient;
}

namespace ui {

class FineTuneMethodPage;
class FineTuneDataPage;
class FineTuneParametersPage;
class FineTuneSummaryPage;

//! What the wizard's pages share. Owned by FineTuneWizard; pages read and write it.
struct FineTuneWizardState
{
    client::TrainingJobDraft draft;
    std::optional<models::EvaluatorUpload> upload; //!< RFT with a code folder
    QList<client::Model> baseModels;               //!< tunable: the catalog and the account's
    QList<client::Model> loras;                    //!< the account's LoRAs (warm start)
    QList<client::Dataset> datasets;               //!< READY datasets of the profile
    QList<client::Evaluator> evaluators;           //!< ACTIVE evaluators
    //! Every evaluator listed, in any state, by ID: its state (an upload may not reuse an ID).
    QHash<QString, QString> evaluatorStates;
    //! IDs of the account's models, in any state: an output model may not reuse one.
    QSet<QString> accountModelIds;
    //! Token counts the dataset wizard measured, by dataset name (better than the platform's).
    QHash<QString, qint64> countedTokens;
    QString preferredDataset; //!< filled in by setDataset() (the dataset wizard's hand-over)
};

//! The fine-tuning wizard (issue 15): Method & model (SFT / DPO / RFT; a tunable base model or
//! a LoRA to continue from; output model) → Data (READY training and evaluation datasets; for
//! RFT an ACTIVE evaluator or a code folder to upload, with a preview of its entry point) →
//! Hyperparameters (every documented knob with default, range and help, checked as typed; RFT
//! rollouts; W&B) → Summary (tokens, estimated time and cost, Copy firectl / curl) → Create.
//! Nothing is sent before Create (the cost estimate of SFT jobs excepted, which creates nothing).
class FineTuneWizard : public QWizard
{
    Q_OBJECT
public:
    //! The size it opens at on a screen with room (nine tenths of a smaller one), and the
    //! size of its README screenshots.
    static constexpr QSize kOpenSize{960, 760};
    enum PageId { MethodId, DataId, ParametersId, SummaryId };

    explicit FineTuneWizard(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    ~FineTuneWizard() override;

    client::ApiClient *api() const { return m_api; }
    FineTuneWizardState &state() { return m_state; }
    //! Preselects the training dataset (the dataset wizard's "Fine-tune with this dataset");
    //! `countedTokens` > 0 is the dataset wizard's own token count of it.
    void setDataset(const client::Dataset &dataset, qint64 countedTokens = 0);
    //! Preselects the evaluation dataset (the dataset wizard's evaluation split), once listed.
    void setEvaluationDataset(const QString &name);
    //! True once every page of the models, datasets and evaluators lists has answered (or a
    //! page failed: listsStatus() then says which list is incomplete).
    bool isLoaded() const { return m_pendingLists == 0; }
    //! The evaluator an earlier Create of this wizard made (full name); empty if none.
    QString madeEvaluator() const { return m_madeEvaluator; }
    //! What the pickers show about the lists: "Loading… 400 models, 37 datasets so far" while
    //! pages are still coming, a list that could not be read completely, or "" when all is in.
    QString listsStatus() const;

    FineTuneMethodPage *methodPage() const { return m_method; }
    FineTuneDataPage *dataPage() const { return m_data; }
    FineTuneParametersPage *parametersPage() const { return m_parameters; }
    FineTuneSummaryPage *summaryPage() const { return m_summary; }
    //! The flow of the last Create (nullptr before).
    models::FineTuneFlow *flow() const { return m_flow; }

    //! Opens the dataset wizard over this one (the data page's "New with the dataset wizard");
    //! the dataset it makes READY is chosen as the training dataset, its evaluation split as
    //! the evaluation dataset, and its token count is kept.
    void openDatasetWizard();

    //! Starts the creation (the summary page's Create); finished with jobCreated or a message.
    void create();
    //! Cancel (or Escape) while Create uploads or builds the evaluator stops that first and
    //! says what stays; the next Cancel closes the wizard.
    void reject() override;

    //! Shows `job` in the training monitor of the window `anchor` belongs to: the Fine-tuning
    //! page with the job view open. For wizards opened from elsewhere (the dataset wizard).
    static void showJobInMonitor(QWidget *anchor, const client::TrainingJob &job);

    //! --screenshot finetune-wizard FILE: the summary step of an SFT job on a demo dataset,
    //! saved as PNG. Returns the process exit status.
    static int screenshot(client::ApiClient *api, const QString &file);

Q_SIGNALS:
    //! A page of one of the lists arrived or a list ended (pages refill their choices and show
    //! listsStatus()).
    void listsChanged();
    //! Create succeeded; the wizard closes after this.
    void jobCreated(const client::TrainingJob &job);

private:
    void loadLists();
    //! Rebuilds the base models and LoRAs from the lists so far and tells the pages.
    void listsUpdated();
    //! Replaces the listed dataset of the same name; false when it is not listed.
    bool mergeDataset(const client::Dataset &dataset);

    client::ApiClient *m_api;
    FineTuneWizardState m_state;
    FineTuneMethodPage *m_method;
    FineTuneDataPage *m_data;
    FineTuneParametersPage *m_parameters;
    FineTuneSummaryPage *m_summary;
    models::FineTuneFlow *m_flow = nullptr;
    QString m_madeEvaluator; //!< the evaluator a Create of this wizard made (full name)
    //! The code m_madeEvaluator was last built ACTIVE from; empty after a failed build.
    std::optional<models::EvaluatorUpload> m_activeCode;
    int m_pendingLists = 0;
    QStringList m_listProblems; //!< lists that could not be read to their end, in words
    QList<client::Model> m_userModels;
    QList<client::Model> m_catalog;
    int m_datasetsSeen = 0;   //!< datasets listed so far (READY or not)
    int m_evaluatorsSeen = 0; //!< evaluators listed so far (ACTIVE or not)
};

} // namespace ui
