// libFuzzer target for the hyperparameter table of a fine-tuning job as the job view reads it
// from the platform's answer (client/trainingdefaults: hyperParameterValues over
// TrainingJob::raw, after TrainingJob::fromJson). Byte 0: the job kind; then the JSON, read both
// as the decoder keeps it and as it came. Besides "no crash, no sanitizer report":
// - every documented knob of the kind is listed first, in the table's order, at its path;
// - a knob is flagged out of range only when the job sets it, and never when the fine-tuning
//   wizard accepts the same value (client/trainingjobdraft checkHyperParameter);
// - the fields the table does not know are listed as set, without a documented default.

#include <client/trainingdefaults.h>
#include <client/trainingjobdraft.h>

#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

QJsonValue valueAt(const QJsonObject &root, const QString &path)
{
    QJsonValue v = root;
    for (const QString &part : path.split(QLatin1Char('.')))
        v = v.toObject().value(part);
    return v;
}

void check(const client::TrainingJob &job)
{
    const QList<client::HyperParameter> table = client::hyperParameters(job.kind);
    const QList<client::HyperParameterValue> rows = client::hyperParameterValues(job);
    if (rows.size() < table.size())
        std::abort(); // a documented knob missing
    const QJsonObject root = QJsonDocument::fromJson(job.raw).object();
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const client::HyperParameterValue &row = rows.at(i);
        if (row.outOfRange && !row.isSet)
            std::abort(); // a default flagged
        if (i >= table.size()) {
            if (!row.isSet || row.parameter.defaultText != QStringLiteral("—"))
                std::abort(); // an unknown field listed as unset or with a made-up default
            continue;
        }
        if (row.parameter.field != table.at(i).field ||
            row.path != client::hyperParameterPath(job.kind, table.at(i)))
            std::abort(); // the table out of order, or a knob read from another path
        const QJsonValue value = valueAt(root, row.path);
        if (!row.outOfRange || !value.isDouble())
            continue;
        // The wizard's check on the very same number (17 digits: the same double).
        const QString text = QString::number(value.toDouble(), 'g', 17);
        if (client::checkHyperParameter(row.parameter, text, nullptr).isEmpty())
            std::abort(); // flagged here, accepted by the wizard
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const auto kind = client::TrainingJobKind(data[0] % 4);
    const QByteArray json(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const client::Result<client::TrainingJob> decoded = client::TrainingJob::fromJson(kind, json);
    if (decoded.ok())
        check(decoded.value());
    else if (decoded.error().message.isEmpty())
        std::abort(); // a refusal that says nothing
    client::TrainingJob asSent;
    asSent.kind = kind;
    asSent.raw = json;
    check(asSent);
    return 0;
}
