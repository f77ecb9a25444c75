#pragma once

// What a simulated fine-tuning job does on the Local sandbox, decided from the job's settings
// alone so that the same job name gives the same curves, logs and rollout scores: the loss
// responds to the learning rate (spikes, divergence, NaN), many epochs overfit, an RFT job whose
// evaluator returns one constant score has a flat reward and stops early, and some jobs fail.
// Plain functions of the job; the PlatformService feeds it and stores nothing of it.

#include <sandbox/apirequest.h>

#include <QDateTime>

#include <optional>

namespace sandbox {

class TrainingRun
{
public:
    //! How the loss reacts to the learning rate (platform-api.md §6: 1e-5 – 5e-4 documented).
    enum class Regime {
        Normal,    //!< lr ≤ 5e-4: a decaying loss
        Spiky,     //!< 5e-4 < lr < 5e-3: occasional loss spikes
        Diverging, //!< 5e-3 ≤ lr < 5e-2: the loss turns and grows
        Exploding  //!< lr ≥ 5e-2: the loss overflows to inf, then NaN, and the job fails
    };
    struct Failure
    {
        int step = 0; //!< the job fails once it has run this many steps
        const char *code = "INTERNAL";
        QString message; //!< status.message
    };

    static constexpr int kStepsPerEpoch = 40;
    static constexpr double kPendingSeconds = 3.0;
    static constexpr double kValidatingSeconds = 4.0;
    //! Simulated seconds in RUNNING for a job of `epochs` epochs.
    static double runningSeconds(int epochs) { return 60.0 + 30.0 * epochs; }

    //! `constantScore`: the RFT job's evaluator always returns this score (see
    //! constantEvaluatorScore).
    TrainingRun(const QString &collection, const Json &job, const QDateTime &createTime,
                std::optional<double> constantScore = std::nullopt);

    //! The score an evaluator always returns, when the sandbox can tell: its description or
    //! display name says "constant score" (optionally "constant score 0.7"), or each of its
    //! inline code snippets returns only one numeric literal. Nothing otherwise.
    static std::optional<double> constantEvaluatorScore(const Json &evaluator);

    Regime regime() const { return m_regime; }
    int epochs() const { return m_epochs; }
    int totalSteps() const { return m_epochs * kStepsPerEpoch; }
    //! True for SFT/DPO jobs of 3 or more epochs: eval/loss turns up after epoch 2.
    bool overfits() const { return m_overfits; }
    bool isRft() const { return m_rft; }
    std::optional<double> constantScore() const { return m_constantScore; }
    //! RFT with a constant evaluator: the job stops (EARLY_STOPPED) after its first epoch.
    std::optional<int> earlyStopStep() const;
    std::optional<Failure> failure() const;
    //! The last step the job runs: total steps, or where it fails or stops early.
    int lastStep() const;
    //! Steps run once `fraction` of the job is done, at most lastStep().
    int stepsDone(double fraction) const;
    QString earlyStopMessage() const;

    // The simulated series (loss may be inf or NaN in the Exploding regime).
    double trainLoss(int step) const;
    double evalLoss(int step) const;
    double gradNorm(int step) const;
    double learningRateAt(int step) const;
    double reward(int step) const; //!< RFT mean reward of the step, in [0, 1]
    //! The mean reward of epoch `epoch`'s rollouts (0-based).
    double epochReward(int epoch) const;
    //! Unix seconds (with ms) on the simulated clock at which `step` finished.
    double timestampAt(int step) const;

    //! The metrics JSONL of the first `steps` steps: `{"step", "timestamp", "data": {...}}`.
    //! Non-finite values are written as Python's json module writes them (NaN, Infinity).
    QByteArray metricsJsonl(int steps) const;
    //! The trainer log: one `<RFC 3339 time> <LEVEL> <source>: <text>` line per event, up to
    //! `steps` steps and the job's state. Earlier lines never change as the job runs on, so a
    //! client can fetch only the bytes past its last offset.
    QByteArray log(int steps) const;

private:
    bool spikeAt(int step) const;
    double baseLoss(int step) const;
    QByteArray line(double simSeconds, const char *level, const char *source,
                    const QString &text) const;

    QString m_collection;
    Json m_job;
    QString m_seed; // the job's name
    QDateTime m_createTime;
    int m_epochs = 1;
    double m_lr = 1e-4;
    Regime m_regime = Regime::Normal;
    bool m_overfits = false;
    bool m_rft = false;
    std::optional<double> m_constantScore;
    int m_divergeStep = 0; // Diverging / Exploding: the loss turns here
    int m_infStep = 0;     // Exploding: the first non-finite loss
};

} // namespace sandbox
