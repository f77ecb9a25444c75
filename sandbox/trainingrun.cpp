#include "trainingrun.h"

#include "collectionnames.h"

#include "platformservice_p.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

namespace sandbox {

using detail::noise;

namespace {

constexpr double kDocumentedMaxLr = 5e-4; // platform-api.md §6.1
constexpr int kEvalEvery = TrainingRun::kStepsPerEpoch / 4;
constexpr int kLogEvery = 5;

// Python's json module writes these for non-finite floats, and trainers log through it.
constexpr const char *kNanToken = "__sandbox_nan__";
constexpr const char *kInfToken = "__sandbox_inf__";

Json jsonNumber(double v)
{
    if (std::isnan(v))
        return kNanToken;
    if (std::isinf(v))
        return kInfToken;
    return v;
}

QString num(double v)
{
    if (std::isnan(v))
        return QStringLiteral("nan");
    if (std::isinf(v))
        return QStringLiteral("inf");
    return QString::number(v, 'g', 4);
}

int stateRank(const std::string &state)
{
    if (state == "JOB_STATE_VALIDATING")
        return 1;
    if (state == "JOB_STATE_RUNNING")
        return 2;
    if (state == "JOB_STATE_WRITING_RESULTS")
        return 3;
    if (state == "JOB_STATE_COMPLETED")
        return 4;
    return 0;
}

} // namespace

TrainingRun::TrainingRun(const QString &collection, const Json &job, const QDateTime &createTime,
                         std::optional<double> constantScore)
    : m_collection(collection), m_job(job), m_seed(toQ(job.value("name", std::string()))),
      m_createTime(createTime)
{
    const bool sft = collection == collections::sftJobs;
    const Json tc = sft ? job : job.value("trainingConfig", Json::object());
    m_epochs = std::max(1, tc.value("epochs", 1));
    if (tc.contains("learningRate") && tc["learningRate"].is_number())
        m_lr = tc["learningRate"].get<double>();
    m_rft = collection == collections::rftJobs;
    if (m_rft)
        m_constantScore = constantScore;
    const double ratio = m_lr / kDocumentedMaxLr;
    m_regime = ratio <= 1.0    ? Regime::Normal
               : ratio < 10.0  ? Regime::Spiky
               : ratio < 100.0 ? Regime::Diverging
                               : Regime::Exploding;
    m_overfits = !m_rft && m_epochs >= 3;
    const int total = totalSteps();
    if (m_regime == Regime::Diverging)
        m_divergeStep = std::max(4, total / 6);
    if (m_regime == Regime::Exploding) {
        m_divergeStep = std::max(3, total / 8);
        m_infStep = m_divergeStep + 16;
    }
}

std::optional<double> TrainingRun::constantEvaluatorScore(const Json &evaluator)
{
    static const QRegularExpression marker(
        QStringLiteral("constant[ -]score(?:\\s*(?:of|=|:)?\\s*([01](?:\\.\\d+)?))?"),
        QRegularExpression::CaseInsensitiveOption);
    for (const char *field : {"description", "displayName"}) {
        const auto m = marker.match(toQ(evaluator.value(field, std::string())));
        if (m.hasMatch())
            return m.captured(1).isEmpty() ? 0.5 : m.captured(1).toDouble();
    }
    // Inline code whose every return statement returns the same number literal.
    static const QRegularExpression returns(QStringLiteral("\\breturn\\b\\s*([^\\n#;]*)"));
    static const QRegularExpression literal(QStringLiteral("^\\(?\\s*([01](?:\\.\\d+)?)\\s*\\)?$"));
    std::optional<double> score;
    bool sawCode = false;
    for (const Json &c : evaluator.value("criteria", Json::array())) {
        const Json files = c.value("codeSnippets", Json::object()).value("fileContents", Json());
        if (!files.is_object())
            continue;
        for (auto it = files.begin(); it != files.end(); ++it) {
            if (!it->is_string())
                continue;
            auto ms = returns.globalMatch(toQ(it->get<std::string>()));
            while (ms.hasNext()) {
                const auto m = literal.match(ms.next().captured(1).trimmed());
                if (!m.hasMatch())
                    return std::nullopt;
                const double v = m.captured(1).toDouble();
                if (score && *score != v)
                    return std::nullopt;
                score = v;
                sawCode = true;
            }
        }
    }
    return sawCode ? score : std::nullopt;
}

std::optional<int> TrainingRun::earlyStopStep() const
{
    if (!m_constantScore)
        return std::nullopt;
    return std::min(totalSteps(), kStepsPerEpoch);
}

std::optional<TrainingRun::Failure> TrainingRun::failure() const
{
    const int total = totalSteps();
    if (m_regime == Regime::Exploding && m_infStep + 1 <= total) {
        Failure f;
        f.step = m_infStep + 1;
        f.message = QStringLiteral("Simulated failure: the training loss became NaN at step %1 "
                                   "of %2. The learning rate %3 is far above the documented "
                                   "range (1e-05 to 0.0005); lower learningRate and start a new "
                                   "job.")
                        .arg(f.step)
                        .arg(total)
                        .arg(num(m_lr));
        return f;
    }
    if (toQ(m_job.value("displayName", std::string()))
            .contains(QLatin1String("fail"), Qt::CaseInsensitive)) {
        Failure f;
        f.step = std::max(1, total * 2 / 5);
        f.code = "RESOURCE_EXHAUSTED";
        f.message = QStringLiteral("Simulated failure (the display name contains \"fail\"): the "
                                   "trainer ran out of GPU memory at step %1 of %2 "
                                   "(torch.OutOfMemoryError: CUDA out of memory). Lower "
                                   "batchSize or maxContextLength, then resume the job.")
                        .arg(f.step)
                        .arg(total);
        return f;
    }
    return std::nullopt;
}

int TrainingRun::lastStep() const
{
    int last = totalSteps();
    if (const auto f = failure())
        last = std::min(last, f->step);
    if (const auto e = earlyStopStep())
        last = std::min(last, *e);
    return last;
}

int TrainingRun::stepsDone(double fraction) const
{
    return std::clamp(int(std::floor(fraction * totalSteps() + 1e-9)), 0, lastStep());
}

QString TrainingRun::earlyStopMessage() const
{
    return QStringLiteral("Simulated early stop: every rollout of epoch 0 got the same score "
                          "(%1) from the evaluator, so there was no reward variance to learn "
                          "from (JOB_STATE_EARLY_STOPPED). The evaluator always returns one "
                          "score; check its code.")
        .arg(num(m_constantScore.value_or(0)));
}

bool TrainingRun::spikeAt(int step) const
{
    if (m_regime != Regime::Spiky || step <= 3)
        return false;
    const double p = std::min(0.25, 0.04 * m_lr / kDocumentedMaxLr);
    return noise(m_seed + QStringLiteral("spike"), step) > 1.0 - 2.0 * p;
}

double TrainingRun::baseLoss(int step) const
{
    // Per-epoch progress: more epochs keep lowering the training loss (memorising the data).
    const double e = double(step) / kStepsPerEpoch;
    const double speed = std::clamp(std::sqrt(m_lr / 1e-4), 0.4, 2.0);
    return 0.05 + 0.30 * std::exp(-0.5 * e * speed) + 1.9 * std::exp(-2.8 * e * speed);
}

double TrainingRun::trainLoss(int step) const
{
    if (m_rft) {
        if (m_constantScore)
            return 0.0; // GRPO: identical rewards give zero advantage, so zero policy loss
        const double t = double(step) / totalSteps();
        return 0.02 + 0.12 * std::exp(-2.0 * t) + 0.01 * noise(m_seed, step);
    }
    double loss = baseLoss(step) + 0.04 * noise(m_seed, step);
    switch (m_regime) {
    case Regime::Normal:
        break;
    case Regime::Spiky:
        if (spikeAt(step))
            loss *= 1.8 + 0.3 * m_lr / kDocumentedMaxLr;
        break;
    case Regime::Diverging:
        if (step > m_divergeStep) {
            const double g = std::log(1.0 + m_lr / kDocumentedMaxLr / 10.0) / 10.0;
            loss = std::min(1e4, baseLoss(m_divergeStep) * std::exp(g * (step - m_divergeStep)) +
                                     0.04 * noise(m_seed, step));
        }
        break;
    case Regime::Exploding:
        if (step >= m_infStep + 1)
            return std::numeric_limits<double>::quiet_NaN();
        if (step == m_infStep)
            return std::numeric_limits<double>::infinity();
        if (step > m_divergeStep)
            loss = baseLoss(m_divergeStep) * std::exp(0.5 * (step - m_divergeStep));
        break;
    }
    return loss;
}

double TrainingRun::evalLoss(int step) const
{
    const double train = trainLoss(step);
    if (!std::isfinite(train) || m_regime == Regime::Diverging || m_regime == Regime::Exploding)
        return train * 1.05 + 0.08;
    const double e = double(step) / kStepsPerEpoch;
    const double overfit = m_overfits ? 0.09 * std::pow(std::max(0.0, e - 2.0), 2.0) : 0.0;
    return baseLoss(step) + 0.08 + overfit + 0.02 * noise(m_seed + QStringLiteral("e"), step);
}

double TrainingRun::gradNorm(int step) const
{
    if (m_rft && m_constantScore)
        return 0.0;
    const double t = double(step) / totalSteps();
    double g = 0.8 * std::exp(-1.5 * t) + 0.1 + 0.05 * noise(m_seed + QStringLiteral("g"), step);
    if (spikeAt(step))
        g *= 6.0;
    if ((m_regime == Regime::Diverging || m_regime == Regime::Exploding) && step > m_divergeStep) {
        const double loss = trainLoss(step);
        if (!std::isfinite(loss))
            return loss;
        g *= loss / baseLoss(m_divergeStep);
    }
    return g;
}

double TrainingRun::learningRateAt(int step) const
{
    const double t = double(step) / totalSteps();
    return m_lr * std::min(1.0, step / 10.0) * (1.0 - 0.9 * t);
}

double TrainingRun::reward(int step) const
{
    if (m_constantScore)
        return *m_constantScore;
    const double t = double(step) / totalSteps();
    return std::clamp(0.25 + 0.55 * (1.0 - std::exp(-3.0 * t)) +
                          0.03 * noise(m_seed + QStringLiteral("r"), step),
                      0.0, 1.0);
}

double TrainingRun::epochReward(int epoch) const
{
    return reward(std::min(totalSteps(), (epoch + 1) * kStepsPerEpoch));
}

double TrainingRun::timestampAt(int step) const
{
    const double sim = kPendingSeconds + kValidatingSeconds +
                       runningSeconds(m_epochs) * double(step) / totalSteps();
    return std::round(double(m_createTime.toMSecsSinceEpoch()) + sim * 1000.0) / 1000.0;
}

QByteArray TrainingRun::metricsJsonl(int steps) const
{
    const bool dpo = m_collection == collections::dpoJobs;
    QByteArray out;
    for (int step = 1; step <= std::min(steps, lastStep()); ++step) {
        const double t = double(step) / totalSteps();
        Json data = {{"train/loss", jsonNumber(trainLoss(step))},
                     {"train/learning_rate", learningRateAt(step)},
                     {"train/epoch", double(step) / kStepsPerEpoch},
                     {"train/grad_norm", jsonNumber(gradNorm(step))},
                     {"train/tokens", qint64(step) * 32768}};
        if (dpo) {
            data["train/reward_margin"] = 0.1 + 1.4 * (1.0 - std::exp(-3.0 * t)) +
                                          0.05 * noise(m_seed + QStringLiteral("m"), step);
            data["train/reward_accuracy"] =
                std::clamp(0.5 + 0.45 * (1.0 - std::exp(-4.0 * t)), 0.0, 1.0);
        }
        if (m_rft)
            data["train/reward"] = reward(step);
        else if (step % kEvalEvery == 0)
            data["eval/loss"] = jsonNumber(evalLoss(step));
        const Json line = {{"step", step}, {"timestamp", timestampAt(step)}, {"data", data}};
        QByteArray text = QByteArray::fromStdString(line.dump());
        text.replace(QByteArray("\"") + kNanToken + '"', "NaN");
        text.replace(QByteArray("\"") + kInfToken + '"', "Infinity");
        out += text + '\n';
    }
    return out;
}

QByteArray TrainingRun::line(double simSeconds, const char *level, const char *source,
                             const QString &text) const
{
    const QDateTime at = m_createTime.addMSecs(qint64(std::llround(simSeconds * 1000.0)));
    return at.toUTC().toString(Qt::ISODateWithMs).toUtf8() + ' ' + level + ' ' + source + ": " +
           text.toUtf8() + '\n';
}

QByteArray TrainingRun::log(int steps) const
{
    const std::string state = m_job.value("state", std::string());
    const int rank = stateRank(state);
    const bool failed = state == "JOB_STATE_FAILED";
    const QString statusMessage =
        toQ(m_job.value("status", Json::object()).value("message", std::string()));
    const bool sft = m_collection == collections::sftJobs;
    const Json tc = sft ? m_job : m_job.value("trainingConfig", Json::object());
    const double runStart = kPendingSeconds + kValidatingSeconds;
    const double perStep = runningSeconds(m_epochs) / totalSteps();
    auto at = [&](int step) { return runStart + perStep * step; };
    steps = std::min(steps, lastStep());

    QByteArray log;
    log += line(0, "INFO", "sandbox",
                QStringLiteral("%1: simulated on the Local sandbox; no code runs and no model "
                               "is trained")
                    .arg(m_seed));
    log += line(0.001, "INFO", "scheduler",
                QStringLiteral("job created, waiting for GPUs (JOB_STATE_PENDING)"));
    if (rank < 1 && steps == 0 && !failed) {
        if (state == "JOB_STATE_CANCELLED" || state == "JOB_STATE_CANCELLING")
            log += line(1, "WARNING", "scheduler", QStringLiteral("cancelled by the user"));
        return log;
    }
    log += line(kPendingSeconds, "INFO", "validator",
                QStringLiteral("validating dataset %1%2")
                    .arg(toQ(m_job.value("dataset", std::string())),
                         m_rft ? QStringLiteral(" and evaluator %1")
                                     .arg(toQ(m_job.value("evaluator", std::string())))
                               : QString()));
    if (failed && steps == 0) {
        log += line(runStart, "ERROR", "validator", statusMessage);
        log += line(runStart + 0.001, "ERROR", "sandbox",
                    QStringLiteral("job failed (JOB_STATE_FAILED)"));
        return log;
    }
    if (rank < 2 && steps == 0)
        return log;
    const QString base = toQ(tc.value("baseModel", tc.value("warmStartFrom", std::string())));
    log += line(runStart, "INFO", "trainer",
                QStringLiteral("starting on %1: %2 %3 of %4 steps, learning rate %5, LoRA "
                               "rank %6")
                    .arg(base)
                    .arg(m_epochs)
                    .arg(m_epochs == 1 ? QStringLiteral("epoch") : QStringLiteral("epochs"))
                    .arg(kStepsPerEpoch)
                    .arg(num(m_lr))
                    .arg(tc.value("loraRank", 8)));
    // The platform numbers epochs from 0 (jobProgress.epoch, epoch_to_evaluation_output,
    // rollouts?epoch=) and so does this log; the app counts them from 1 ("epoch 1/3").
    log += line(runStart, "INFO", "trainer",
                QStringLiteral("epochs are numbered from 0 in this log, as in the API: epoch 0 "
                               "is the first"));
    if (m_lr > kDocumentedMaxLr)
        log += line(runStart + 0.001, "WARNING", "trainer",
                    QStringLiteral("learning rate %1 is above the documented range (1e-05 to "
                                   "0.0005); the loss may spike or diverge")
                        .arg(num(m_lr)));
    double previousEval = std::numeric_limits<double>::quiet_NaN();
    double previousTrainAtEval = previousEval;
    bool divergenceLogged = false;
    const auto fail = failure();
    for (int step = 1; step <= steps; ++step) {
        const double loss = trainLoss(step);
        const int epoch = (step - 1) / kStepsPerEpoch;
        if (spikeAt(step))
            log += line(at(step), "WARNING", "trainer",
                        QStringLiteral("loss spike at step %1: %2 (gradient norm %3)")
                            .arg(step)
                            .arg(num(loss), num(gradNorm(step))));
        if (!divergenceLogged && m_divergeStep > 0 && step == m_divergeStep + 5) {
            divergenceLogged = true;
            log += line(at(step), "WARNING", "trainer",
                        QStringLiteral("loss has risen for 5 steps (%1 at step %2, %3 now): "
                                       "training is diverging")
                            .arg(num(trainLoss(m_divergeStep)))
                            .arg(m_divergeStep)
                            .arg(num(loss)));
        }
        if (!std::isfinite(loss)) {
            log += line(at(step), "ERROR", "trainer",
                        QStringLiteral("loss is %1 at step %2").arg(num(loss)).arg(step));
        } else if (step % kLogEvery == 0) {
            log += line(at(step), "INFO", "trainer",
                        QStringLiteral("epoch %1 step %2/%3 loss=%4 lr=%5 grad_norm=%6")
                            .arg(epoch)
                            .arg(step)
                            .arg(totalSteps())
                            .arg(num(loss), num(learningRateAt(step)), num(gradNorm(step))));
        }
        if (!m_rft && step % kEvalEvery == 0 && std::isfinite(loss)) {
            const double eval = evalLoss(step);
            log += line(at(step) + 0.001, "INFO", "evaluator",
                        QStringLiteral("step %1 eval/loss=%2").arg(step).arg(num(eval)));
            if (m_overfits && step / kStepsPerEpoch >= 2 && eval > previousEval &&
                loss < previousTrainAtEval)
                log += line(at(step) + 0.002, "WARNING", "evaluator",
                            QStringLiteral("eval/loss rose from %1 to %2 while train/loss fell: "
                                           "the model may be overfitting (%3 epochs)")
                                .arg(num(previousEval), num(eval))
                                .arg(m_epochs));
            previousEval = eval;
            previousTrainAtEval = loss;
        }
        if (m_rft && step % kStepsPerEpoch == 0) {
            if (m_constantScore)
                log += line(at(step), "WARNING", "rollouts",
                            QStringLiteral("epoch %1: every rollout scored %2: no reward variance")
                                .arg(epoch)
                                .arg(num(*m_constantScore)));
            else
                log += line(at(step), "INFO", "rollouts",
                            QStringLiteral("epoch %1: rollouts scored, mean reward %2")
                                .arg(epoch)
                                .arg(num(epochReward(epoch))));
        }
        if (step % kStepsPerEpoch == 0 && step < totalSteps())
            log += line(at(step) + 0.003, "INFO", "trainer",
                        QStringLiteral("epoch %1 finished; checkpoint saved").arg(epoch));
        if (fail && step == fail->step - 1 && m_regime != Regime::Exploding)
            log +=
                line(at(step) + 0.004, "WARNING", "trainer",
                     QStringLiteral("GPU memory at 97% (77.6 of 80 GiB) after step %1").arg(step));
    }
    const double end = at(steps);
    if (failed) {
        if (fail && steps >= fail->step && m_regime != Regime::Exploding)
            log += line(end, "ERROR", "trainer",
                        QStringLiteral("torch.OutOfMemoryError: CUDA out of memory. Tried to "
                                       "allocate 2.00 GiB (GPU 0; 80.00 GiB total capacity)"));
        log += line(end + 0.001, "ERROR", "trainer", statusMessage);
        log +=
            line(end + 0.002, "ERROR", "sandbox", QStringLiteral("job failed (JOB_STATE_FAILED)"));
    } else if (state == "JOB_STATE_EARLY_STOPPED") {
        log += line(end + 0.001, "WARNING", "trainer", statusMessage);
    } else if (state == "JOB_STATE_CANCELLING" || state == "JOB_STATE_CANCELLED") {
        log += line(end + 0.001, "WARNING", "trainer",
                    QStringLiteral("cancelled by the user after step %1").arg(steps));
    } else if (rank >= 3) {
        const QString output = toQ(tc.value("outputModel", std::string()));
        log += line(end + 0.001, "INFO", "trainer",
                    QStringLiteral("training finished; writing the output model %1").arg(output));
        if (rank >= 4)
            log += line(end + 3.0, "INFO", "sandbox",
                        QStringLiteral("job completed (JOB_STATE_COMPLETED): the output model is "
                                       "a placeholder with no weights"));
    }
    return log;
}

} // namespace sandbox
