// Limits on what a create or update may carry: numbers in range, training knobs, text lengths.
#include "collectionnames.h"
#include "platformservice_p.h"

#include <sandbox/collectionschema.h>

#include <QStringList>

namespace sandbox {

namespace detail {

std::optional<ApiResponse> checkNumber(const Json &obj, const char *key, const QString &path,
                                       double lo, double hi, bool integer)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return std::nullopt;
    if (!it->is_number() || (integer && !valueMatches(*it, FieldKind::Int32)))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("field '%1' must be %2")
                .arg(path, integer ? QStringLiteral("an integer") : QStringLiteral("a number")));
    const double v = it->get<double>();
    if (v < lo || v > hi)
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("field '%1' is %2; it must be between %3 and %4")
                                      .arg(path)
                                      .arg(v)
                                      .arg(lo)
                                      .arg(hi));
    return std::nullopt;
}

// Range rules documented for training jobs (platform-api.md §6).
std::optional<ApiResponse> checkTrainingKnobs(const QString &collection, const Json &body)
{
    const bool sft = collection == collections::sftJobs;
    const Json tc = sft ? body : body.value("trainingConfig", Json::object());
    const QString prefix = sft ? QString() : QStringLiteral("trainingConfig.");
    if (tc.contains("loraRank") && tc["loraRank"].is_number_integer()) {
        const int r = tc["loraRank"];
        if (r != 0 && (r < 1 || r > 64 || (r & (r - 1)) != 0))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field '%1loraRank' is %2; it must be a power of 2 up to 64")
                    .arg(prefix)
                    .arg(r));
    }
    if (auto e = checkNumber(tc, "epochs", prefix + QStringLiteral("epochs"), 1, 100, true))
        return e;
    if (collection == collections::rftJobs) {
        if (auto e = checkNumber(tc, "learningRate", prefix + QStringLiteral("learningRate"), 1e-5,
                                 5e-4))
            return e;
        if (auto e = checkNumber(tc, "epochs", prefix + QStringLiteral("epochs"), 1, 10, true))
            return e;
        const Json ip = body.value("inferenceParameters", Json::object());
        if (auto e = checkNumber(ip, "temperature",
                                 QStringLiteral("inferenceParameters.temperature"), 0.1, 2.0))
            return e;
        if (auto e = checkNumber(ip, "responseCandidatesCount",
                                 QStringLiteral("inferenceParameters.responseCandidatesCount"), 2,
                                 8, true))
            return e;
        if (auto e =
                checkNumber(ip, "maxOutputTokens",
                            QStringLiteral("inferenceParameters.maxOutputTokens"), 16, 16384, true))
            return e;
        if (auto e = checkNumber(ip, "topP", QStringLiteral("inferenceParameters.topP"), 0, 1))
            return e;
        if (auto e =
                checkNumber(ip, "topK", QStringLiteral("inferenceParameters.topK"), 0, 100, true))
            return e;
        if (auto e = checkNumber(body, "chunkSize", QStringLiteral("chunkSize"), 1, 10000, true))
            return e;
    } else if (auto e =
                   checkNumber(tc, "learningRate", prefix + QStringLiteral("learningRate"), 0, 1)) {
        return e;
    }
    if (collection == collections::dpoJobs) {
        const Json dpo = body.value("lossConfig", Json::object()).value("dpo", Json::object());
        if (auto e = checkNumber(dpo, "beta", QStringLiteral("lossConfig.dpo.beta"), 1e-9, 0.5))
            return e;
    }
    return std::nullopt;
}

std::optional<ApiResponse> textTooLong(const Json &fields, const QStringList &onlyThese)
{
    // The platform's limits: display names "fewer than 64 characters", descriptions fewer
    // than 1000 (platform-api.md).
    static const std::pair<const char *, size_t> limits[] = {{"displayName", 64},
                                                             {"description", 1000}};
    for (const auto &[field, limit] : limits) {
        if (!onlyThese.isEmpty() && !onlyThese.contains(QLatin1String(field)))
            continue;
        auto it = fields.find(field);
        if (it != fields.end() && it->is_string() && it->get<std::string>().size() >= limit)
            return ApiResponse::error(
                "INVALID_ARGUMENT", QStringLiteral("field '%1' must be shorter than %2 characters")
                                        .arg(QLatin1String(field))
                                        .arg(limit));
    }
    return std::nullopt;
}

} // namespace detail

} // namespace sandbox
