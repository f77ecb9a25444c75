// libFuzzer target for what the fine-tuning wizard parses before it creates a job
// (client/trainingjobdraft: every knob's text, checkTrainingJobDraft, trainingJobFromDraft,
// the MCP server name, the firectl and curl commands, the estimate from the dataset's and the
// base model's counts, which come from the platform). The input:
//   byte 0 kind, byte 1 flags (1 auto carve-out, 2 evaluator from upload, 4 a W&B key),
//   bytes 2-9 training examples, 10-13 the model's context length, 14-21 dataset tokens,
//   22-29 base model parameters (little-endian), then NUL-separated texts: job ID, display
//   name, base model, warm start, output model, dataset, evaluation dataset, evaluator,
//   MCP server, W&B project, W&B entity, then the kind's knobs (creatableHyperParameters order).
// Besides "no crash, no sanitizer report":
// - a refused knob is named in its message and in the draft's problems, and left out of the job;
//   an accepted one is at its JSON path with the value the check returned;
// - SFT: a draft without an Epochs problem keeps examples × epochs within 3,000,000;
// - the job's create body reads back as a job, and the job view (hyperParameterValues) shows
//   every accepted knob as set and in range;
// - neither command holds the W&B key; an accepted MCP server name is accepted again as is;
// - the estimate counts no negative tokens or seconds.

#include <client/apiclient.h>
#include <client/resourcenames.h>
#include <client/trainingdefaults.h>
#include <client/trainingjobdraft.h>
#include <client/transport.h>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

constexpr auto kWandbKey = "wandb_FAKE_key_0123456789abcdef";
constexpr auto kApiKey = "fw_FAKE_api_key_0123456789abcdef";
constexpr std::size_t kHeader = 30;

class NoTransport : public client::Transport
{
public:
    client::TransportReply *send(const client::HttpRequest &) override
    {
        std::abort(); // nothing here is sent
    }
};

template <typename T> T readLe(const std::uint8_t *p)
{
    T v{};
    std::memcpy(&v, p, sizeof v); // the fuzz machines are little-endian
    return v;
}

QJsonValue valueAt(const QJsonObject &root, const QString &path)
{
    QJsonValue v = root;
    for (const QString &part : path.split(QLatin1Char('.')))
        v = v.toObject().value(part);
    return v;
}

bool hasProblem(const QList<client::DraftProblem> &problems, const QString &field)
{
    for (const client::DraftProblem &p : problems)
        if (p.field == field)
            return true;
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < kHeader)
        return 0;
    static int argc = 1;
    static char name[] = "fuzz_training_job_draft";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    static NoTransport transport;
    static client::ApiClient *api = [] {
        client::ApiClientOptions options;
        options.baseUrl = QUrl(QStringLiteral("https://api.example.invalid"));
        options.accountId = QStringLiteral("acct");
        options.apiKey = QString::fromLatin1(kApiKey);
        return new client::ApiClient(options, &transport);
    }();

    client::TrainingJobDraft d;
    d.kind = client::TrainingJobKind(data[0] % 4);
    d.evalAutoCarveout = data[1] & 1;
    d.evaluatorFromUpload = data[1] & 2;
    d.trainingExamples = readLe<qint64>(data + 2);
    d.contextLimit = readLe<std::int32_t>(data + 10);
    const auto datasetTokens = readLe<qint64>(data + 14);
    const auto baseParameters = readLe<qint64>(data + 22);
    const QByteArray rest(reinterpret_cast<const char *>(data + kHeader),
                          qsizetype(size - kHeader));
    QStringList texts;
    for (const QByteArray &part : rest.split('\0'))
        texts << QString::fromUtf8(part);
    qsizetype next = 0;
    const auto text = [&] { return texts.value(next++); };
    d.jobId = text();
    d.displayName = text();
    d.baseModel = text();
    d.warmStartFrom = text();
    d.outputModelId = text();
    d.dataset = text();
    d.evaluationDataset = text();
    d.evaluator = text();
    d.mcpServer = text();
    d.wandbProject = text();
    d.wandbEntity = text();
    if (data[1] & 4)
        d.wandbApiKey = QString::fromLatin1(kWandbKey);
    const QList<client::HyperParameter> knobs = client::creatableHyperParameters(d.kind);
    for (const client::HyperParameter &p : knobs)
        d.knobs.insert(p.field, text());

    // Each knob's own check.
    QHash<QString, QJsonValue> accepted;
    QHash<QString, QString> refused;
    for (const client::HyperParameter &p : knobs) {
        const QString t = d.knobs.value(p.field);
        QJsonValue value;
        const QString message = client::checkHyperParameter(p, t, &value, d.contextLimit);
        if (t.trimmed().isEmpty() && (!message.isEmpty() || !value.isNull()))
            std::abort(); // an empty field is the platform's default
        if (!message.isEmpty()) {
            if (!value.isNull() || !message.startsWith(p.label))
                std::abort(); // a refusal that does not name its knob
            refused.insert(p.field, message);
        } else if (!t.trimmed().isEmpty()) {
            if (value.isNull() || value.isUndefined())
                std::abort();
            accepted.insert(p.field, value);
        }
    }

    const QList<client::DraftProblem> problems = client::checkTrainingJobDraft(d);
    for (const client::DraftProblem &p : problems)
        if (p.field.isEmpty() || p.message.isEmpty())
            std::abort();
    for (auto it = refused.begin(); it != refused.end(); ++it)
        if (!hasProblem(problems, it.key()))
            std::abort(); // a refused knob the draft does not report
    if (d.kind == client::TrainingJobKind::Sft && d.trainingExamples > 0 &&
        !hasProblem(problems, QStringLiteral("epochs"))) {
        const double epochs = accepted.value(QStringLiteral("epochs"), 1.0).toDouble();
        if (epochs * double(d.trainingExamples) > 3000000.0)
            std::abort(); // over the platform's examples × epochs limit, and not said
    }

    const client::TrainingJob job = client::trainingJobFromDraft(d);
    for (const client::HyperParameter &p : knobs) {
        const QJsonValue at = valueAt(job.settings, client::hyperParameterPath(d.kind, p));
        if (accepted.contains(p.field) ? at != accepted.value(p.field) : !at.isUndefined())
            std::abort(); // a refused knob sent, or an accepted one not as checked
    }

    // What the platform gets back reads as a job, and its view shows the knobs as set.
    const QByteArray body =
        client::TrainingJobsClient(api, d.kind).createRequest(d.jobId, job).body;
    const client::Result<client::TrainingJob> back = client::TrainingJob::fromJson(d.kind, body);
    if (!back.ok())
        std::abort(); // our own create body does not read back
    client::TrainingJob sent;
    sent.kind = d.kind;
    sent.raw = body;
    for (const client::HyperParameterValue &row : client::hyperParameterValues(sent)) {
        if (!accepted.contains(row.parameter.field) ||
            row.path != client::hyperParameterPath(d.kind, row.parameter))
            continue;
        if (!row.isSet || row.outOfRange)
            std::abort(); // accepted by the wizard, unset or out of range in the job's view
    }

    const bool keyTyped = texts.join(QString()).contains(QLatin1String("FAKE_key"));
    const QString firectl = client::firectlCreateTrainingJobCommand(api->accountId(), d.jobId, job);
    const QString curl = client::curlCreateTrainingJobCommand(api, d.jobId, job);
    if (!firectl.startsWith(QLatin1String("firectl create ")) || curl.isEmpty())
        std::abort();
    if (!keyTyped &&
        (firectl.contains(QLatin1String(kWandbKey)) || curl.contains(QLatin1String(kWandbKey)) ||
         curl.contains(QLatin1String(kApiKey))))
        std::abort(); // a secret in a command meant to be copied

    const QString mcp = client::mcpServerName(api->accountId(), d.mcpServer);
    if (!mcp.isEmpty() && client::mcpServerName(client::accountOf(mcp), mcp) != mcp)
        std::abort();

    const client::TrainingEstimate e =
        client::estimateTraining(job, datasetTokens, d.trainingExamples, baseParameters);
    if (e.trainingTokens < 0 || (e.seconds && *e.seconds < 0) || e.assumptions.isEmpty())
        std::abort();
    return 0;
}
