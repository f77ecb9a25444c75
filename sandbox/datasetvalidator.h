#pragma once

#include <QByteArray>
#include <QString>

namespace sandbox {

//! What a JSONL file turned out to be, or the first problem with it.
struct DatasetValidation
{
    enum class Kind { Sft, Dpo, Rft, Batch, Unknown };
    bool ok = false;
    Kind kind = Kind::Unknown;
    qint64 exampleCount = 0;
    qint64 estimatedTokenCount = 0;
    double averageTurnCount = 0;
    QString error; //!< e.g. "missing required field 'messages' on line 7"
    int errorLine = 0;
};

const char *datasetKindName(DatasetValidation::Kind kind);

//! Validates a dataset file line by line against the platform's formats (platform-api.md
//! §5): the first object decides the kind (SFT chat, DPO, RFT/eval, batch), every line must
//! match it; a chat file with a row that does not end with an assistant message is a prompt
//! (RFT) file, whose rows may carry a reference answer last. `declared` (the dataset's own
//! format, CHAT or RL) decides instead where given. Training sets need at least 3 rows.
DatasetValidation validateDatasetJsonl(const QByteArray &content,
                                       DatasetValidation::Kind declared =
                                           DatasetValidation::Kind::Unknown);

} // namespace sandbox
