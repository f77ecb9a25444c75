#pragma once

// Creating a fine-tuning job (platform-api.md §2.5, §3.10-3.12, §4.3, §6): which models a job
// can start from, how each hyperparameter is typed and checked before anything is sent, the
// firectl and curl equivalents, and a rough estimate of what the job takes.

#include <client/models.h>
#include <client/trainingdefaults.h>
#include <client/trainingjobs.h>

#include <QJsonValue>
#include <QMap>

namespace client {

//! A base model a job can start from: a READY base model the platform marks tunable.
bool isTunableBaseModel(const Model &model);
//! A model a job can warm-start from: a READY LoRA (PEFT add-on) of this account.
bool canWarmStartFrom(const Model &model);

//! How a knob is typed in a create form.
enum class ParameterInput { Integer, Real, Choice, JsonText, Flag };
ParameterInput hyperParameterInput(const HyperParameter &parameter);
//! The wire values a Choice knob takes (loss methods, lrScheduler kinds).
QStringList hyperParameterChoices(TrainingJobKind kind, const HyperParameter &parameter);
//! One line of help for the knob, for a form's tooltip and hint.
QString hyperParameterHelp(const HyperParameter &parameter);
//! The knobs a create form offers for `kind` (the evaluation split is chosen with the
//! datasets, not here).
QList<HyperParameter> creatableHyperParameters(TrainingJobKind kind);
//! Checks what the user typed for a knob; empty text means "the platform's default" and is
//! fine. On success returns an empty string and sets *value (null for the default); else a
//! message that names the knob and its allowed range. `contextLimit` > 0 is the base model's
//! context length (max context may not exceed it).
QString checkHyperParameter(const HyperParameter &parameter, const QString &text, QJsonValue *value,
                            int contextLimit = 0);
//! What a knob accepts, in words ("1e-5 – 5e-4", "at least 1", "above 0"); empty for choices.
QString hyperParameterAllowed(const HyperParameter &parameter, int contextLimit = 0);
//! SFT: the platform caps dataset examples × epochs at 3,000,000 (fine-tuning-models docs).
//! Empty when `epochsText` (empty: 1) with `examples` (0: unknown) is within it; else a message
//! naming Epochs and the most it may be.
QString checkEpochsForExamples(TrainingJobKind kind, const QString &epochsText, qint64 examples);
//! Puts `value` at the knob's JSON path for `kind` into `settings` (TrainingJob::settings).
void setHyperParameter(QJsonObject &settings, TrainingJobKind kind, const HyperParameter &parameter,
                       const QJsonValue &value);
//! wandbConfig for a job: an empty object when `project` is empty.
QJsonObject wandbSettings(const QString &project, const QString &entity, const QString &apiKey);

//! `firectl create <kind> …` with the job's settings as flags, for "Copy firectl command".
//! The W&B API key is never written: firectl reads $WANDB_API_KEY.
QString firectlCreateTrainingJobCommand(const QString &accountId, const QString &jobId,
                                        const TrainingJob &job);
//! The curl request create() sends; the API key comes from $FIREWORKS_API_KEY and a W&B key
//! from $WANDB_API_KEY, so the text holds no secret.
QString curlCreateTrainingJobCommand(ApiClient *api, const QString &jobId, const TrainingJob &job);

//! What a job is expected to take, from the dataset's token count. Every figure is an
//! estimate; `assumptions` says on what it rests.
struct TrainingEstimate
{
    qint64 datasetTokens = 0;  //!< tokens of one pass over the training data (0: unknown)
    qint64 trainingTokens = 0; //!< tokens the trainer processes over all epochs (RFT: rollouts)
    int epochs = 1;
    //! RFT: rollouts per prompt (n) and the most tokens each may generate, as counted in
    //! trainingTokens (the docs' defaults when unset); 0 for SFT and DPO.
    qint64 rolloutsPerPrompt = 0;
    qint64 maxOutputTokens = 0;
    qint64 examples = 0;
    std::optional<qint64> seconds; //!< rough training time, without queueing
    QStringList assumptions;
};
//! `datasetTokens`: the dataset's token count (the wizard's own count or the platform's
//! estimatedTokenCount), `examples` its example count, `baseParameters` the base model's
//! parameter count (0: unknown).
TrainingEstimate estimateTraining(const TrainingJob &job, qint64 datasetTokens, qint64 examples,
                                  qint64 baseParameters);
//! Whether the platform answers `:estimateCost` for this kind (SFT only, §3.10).
bool hasPlatformCostEstimate(TrainingJobKind kind);
//! The API answers on this machine (the Local sandbox): its cost estimate is simulated.
bool isLoopbackPlatform(const QUrl &baseUrl);

//! What a create form holds, as typed: the knobs by HyperParameter::field (empty text: the
//! platform's default). checkTrainingJobDraft() says what is wrong before anything is sent;
//! trainingJobFromDraft() builds the job create() sends.
struct TrainingJobDraft
{
    TrainingJobKind kind = TrainingJobKind::Sft;
    QString jobId; //!< empty: the server picks one
    QString displayName;
    QString baseModel;     //!< full name; exactly one of baseModel / warmStartFrom
    QString warmStartFrom; //!< full name of a LoRA
    QString outputModelId; //!< empty: the job's ID
    QString dataset;
    QString evaluationDataset;
    bool evalAutoCarveout = false;
    QString evaluator;                //!< RFT: full name (empty while one is to be uploaded)
    bool evaluatorFromUpload = false; //!< RFT: the wizard uploads a code folder first
    //! RFT: the MCP server for agentic rollouts, as a full resource name (mcpServerName());
    //! empty: none. Not sent for other kinds.
    QString mcpServer;
    QMap<QString, QString> knobs;
    QString wandbProject;
    QString wandbEntity;
    QString wandbApiKey;
    int contextLimit = 0;        //!< the base model's context length, 0 when unknown
    qint64 trainingExamples = 0; //!< the training dataset's example count, 0 when unknown
};
//! The resource name of an RFT job's MCP server (`mcpServer`, §3.12; firectl's --mcp-server
//! takes "the MCP server resource name"): `text` is an ID of `accountId`'s (expanded to
//! accounts/{accountId}/mcpServers/{id}) or a full name of that form. Empty when `text` is
//! neither (mcpServerRule() says what is allowed).
QString mcpServerName(const QString &accountId, const QString &text);
//! What an MCP server field accepts, in words, naming the field.
QString mcpServerRule();
//! The short form of that rule, for an empty field's placeholder.
QString mcpServerPlaceholder();

//! One thing wrong with a draft: `field` is a knob's field or the draft member's name
//! ("dataset", "baseModel", "wandb", …), `message` names it and what is allowed.
struct DraftProblem
{
    QString field;
    QString message;
};
QList<DraftProblem> checkTrainingJobDraft(const TrainingJobDraft &draft);
//! The job for create(); knobs that do not pass their check are left out.
TrainingJob trainingJobFromDraft(const TrainingJobDraft &draft);

} // namespace client
