#pragma once

// The documented hyperparameters of fine-tuning jobs, their defaults and ranges
// (platform-api.md §2.5, §2.6, §3.10-3.12, §6): one table for the job view's Parameters tab
// and for a fine-tuning wizard's checks.

#include <client/trainingjobs.h>

#include <QList>
#include <QString>

#include <optional>

namespace client {

//! Where a knob lives in the job's JSON.
enum class ParameterGroup {
    Training, //!< trainingConfig.* (flat on the job for SFT)
    Sampling, //!< inferenceParameters.* (RFT rollouts)
    Loss,     //!< lossConfig.*
    Job       //!< top-level fields of the job (RFT rollout scheduling, evaluation split)
};

//! One hyperparameter of a job kind.
struct HyperParameter
{
    QString field; //!< path below its group as the API spells it, e.g. "learningRate"
    QString label; //!< what people call it, e.g. "Learning rate"
    ParameterGroup group = ParameterGroup::Training;
    QString defaultText; //!< the documented default, e.g. "1e-4"; "—" when none is documented
    QString rangeText;   //!< the documented range or rule, empty when none
    std::optional<double> minimum; //!< inclusive, when the range is a hard rule
    std::optional<double> maximum;
    bool powerOfTwo = false;
};

//! The knobs of `kind`, in the order the docs list them.
QList<HyperParameter> hyperParameters(TrainingJobKind kind);
//! The JSON path of a knob on a job of `kind` ("trainingConfig.learningRate", "epochs" for
//! SFT, "inferenceParameters.topK", …).
QString hyperParameterPath(TrainingJobKind kind, const HyperParameter &parameter);
//! One knob a default table lists, with one job's value for it.
struct HyperParameterValue
{
    HyperParameter parameter;
    QString path;            //!< hyperParameterPath()
    bool isSet = false;      //!< the job overrides the default
    QString value;           //!< the job's value as text (numbers as the server sent them)
    bool outOfRange = false; //!< set, and outside the documented range or rule
};
//! Every knob of the job's kind with the job's value read from its JSON (TrainingJob::raw),
//! and any other field of its trainingConfig / inferenceParameters / lossConfig the table does
//! not know (default "—"), so nothing the job sets is hidden.
QList<HyperParameterValue> hyperParameterValues(const TrainingJob &job);

} // namespace client
