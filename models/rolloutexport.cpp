#include "rolloutexport.h"

#include <models/rolloutdetail.h>
#include <models/rolloutlistmodel.h>

#include <QSaveFile>

#include <functional>

namespace models {

namespace {

bool writeWhole(const QString &path, const std::function<bool(QSaveFile &)> &write, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    if (!write(file)) {
        if (error)
            *error = file.errorString();
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

QByteArray csvField(const QString &text)
{
    QByteArray s = text.toUtf8();
    if (s.contains(',') || s.contains('"') || s.contains('\n') || s.contains('\r')) {
        s.replace("\"", "\"\"");
        s = '"' + s + '"';
    }
    return s;
}

} // namespace

bool writeRolloutsJsonl(const QString &path, const QList<client::RolloutRecord> &records,
                        QString *error)
{
    return writeWhole(
        path,
        [&](QSaveFile &f) {
            for (const client::RolloutRecord &r : records) {
                QByteArray line = r.raw;
                line.replace('\n', ' '); // compact JSON has none; a pretty one must not split
                if (f.write(line + '\n') < 0)
                    return false;
            }
            return true;
        },
        error);
}

bool writeRolloutsCsv(const QString &path, const QList<client::RolloutRecord> &records,
                      QString *error)
{
    return writeWhole(
        path,
        [&](QSaveFile &f) {
            if (f.write("row_id,sample,rollout_id,epoch,step,prompt,response,valid,reason,score,"
                        "prompt_tokens,completion_tokens\r\n") < 0)
                return false;
            const QList<int> samples = rolloutSampleNumbers(records);
            for (qsizetype i = 0; i < records.size(); ++i) {
                const client::RolloutRecord &r = records[i];
                const QByteArray line =
                    csvField(r.rowId) + ',' + QByteArray::number(samples[i]) + ',' +
                    csvField(rolloutDetail(r).rolloutId) + ',' + QByteArray::number(r.epoch + 1) +
                    ',' + QByteArray::number(r.step) + ',' + csvField(r.prompt) + ',' +
                    csvField(r.response) + ',' + (r.valid ? "true" : "false") + ',' +
                    csvField(r.reason) + ',' + QByteArray::number(r.score, 'g', 17) + ',' +
                    QByteArray::number(r.promptTokens) + ',' +
                    QByteArray::number(r.completionTokens) + "\r\n";
                if (f.write(line) < 0)
                    return false;
            }
            return true;
        },
        error);
}

} // namespace models
