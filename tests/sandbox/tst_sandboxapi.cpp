// The sandbox's own HTTP behaviour, over raw QNetworkAccessManager requests: bad input,
// SDK wire details, SSE framing, and survival of kill -9.

#include "common/networkcall.h"

#include <sandbox/datasetvalidator.h>
#include <sandbox/inferencebackend.h>
#include <sandbox/sandboxserver.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

class Http
{
public:
    explicit Http(QUrl base) : m_base(std::move(base)) {}
    Reply send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
               QList<QPair<QByteArray, QByteArray>> headers = {
                   {"Authorization", "Bearer test-key"}})
    {
        QUrl url = m_base.resolved(QUrl(pathAndQuery));
        QNetworkRequest request(url);
        for (const auto &h : headers)
            request.setRawHeader(h.first, h.second);
        const testing::NetworkAnswer a = testing::callAndWait(m_nam, request, method, body);
        return Reply{a.status, a.body, a.header("Content-Type")};
    }
    QByteArray json(const QJsonObject &o)
    {
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    }

private:
    QUrl m_base;
    QNetworkAccessManager m_nam;
};

// Streams two pieces per choice so the SSE framing can be checked without the engine.
class ScriptedBackend : public sandbox::InferenceBackend
{
public:
    QString unavailableReason(const sandbox::InferenceTarget &) const override { return {}; }
    std::optional<sandbox::GenerationResult>
    generate(const sandbox::InferenceTarget &, const sandbox::Json &request, bool,
             const std::function<bool(const sandbox::GeneratedDelta &)> &onDelta,
             sandbox::GenerationFailure *) override
    {
        const int n = request.value("n", 1);
        for (int i = 0; i < n; ++i) {
            if (!onDelta({i, QStringLiteral("Hel"), {}}) ||
                !onDelta({i, QStringLiteral("lo"), QStringLiteral("stop")}))
                return std::nullopt;
        }
        return sandbox::GenerationResult{5, 2 * n};
    }
};

} // namespace

class tst_SandboxApi : public QObject
{
    Q_OBJECT

private:
    //! Creates a custom model `id` and uploads `files` (small stand-ins: the list looks at
    //! which files a model has, not at what they hold) through signed URLs; true once READY.
    bool uploadModel(const QString &id, const QList<QByteArray> &files)
    {
        const QString base = QStringLiteral("/v1/accounts/local/models");
        if (m_http
                ->send("POST", base,
                       R"({"modelId":")" + id.toUtf8() +
                           R"(","model":{"kind":"HF_BASE_MODEL","baseModelDetails":{}}})")
                .status != 200)
            return false;
        QMap<QByteArray, QByteArray> content;
        QJsonObject sizes;
        for (const QByteArray &f : files) {
            content[f] = f == "config.json" ? QByteArray(R"({"model_type":"qwen3"})") : "x";
            sizes.insert(QString::fromUtf8(f), QString::number(content[f].size()));
        }
        const auto ep = m_http->send("POST", base + QLatin1Char('/') + id + ":getUploadEndpoint",
                                     m_http->json({{QStringLiteral("filenameToSize"), sizes}}));
        const QJsonObject urls = ep.json().value(QStringLiteral("filenameToSignedUrls")).toObject();
        for (auto it = content.cbegin(); it != content.cend(); ++it) {
            const QByteArray range =
                QByteArray::number(it.value().size()) + ',' + QByteArray::number(it.value().size());
            const QString path = QUrl(urls.value(QString::fromUtf8(it.key())).toString()).path();
            if (path.isEmpty() || m_http->send("PUT", path, it.value(),
                                               {{"Content-Type", "application/octet-stream"},
                                                {"x-goog-content-length-range", range}})
                                          .status != 200)
                return false;
        }
        return m_http->send("GET", base + QLatin1Char('/') + id + ":validateUpload").status == 200;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<Http> m_http;

private Q_SLOTS:
    void init()
    {
        m_server.reset();
        QVERIFY(QDir(m_dir.path()).removeRecursively() || true);
        sandbox::SandboxOptions o;
        o.dataDir = m_dir.path() + QStringLiteral("/data");
        o.maxRequestBytes = 4 * 1024 * 1024;
        QString error;
        m_server = std::make_unique<sandbox::SandboxServer>(o);
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_http = std::make_unique<Http>(m_server->baseUrl());
    }
    void cleanup()
    {
        m_http.reset();
        m_server.reset();
        QDir(m_dir.path() + QStringLiteral("/data")).removeRecursively();
    }

    void badInput_getsStatusAndFieldMessage()
    {
        auto r = m_http->send("POST", QStringLiteral("/v1/accounts/local/datasets"), "{not json");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(QStringLiteral("code")).toInt(), 3);
        QVERIFY(r.json()
                    .value(QStringLiteral("message"))
                    .toString()
                    .startsWith(QStringLiteral("INVALID_ARGUMENT: ")));
        r = m_http->send("POST", QStringLiteral("/v1/accounts/local/datasets"),
                         R"({"datasetId":"Bad_Id","dataset":{}})");
        QCOMPARE(r.status, 400);
        QVERIFY(r.json()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("Bad_Id")));
        r = m_http->send("POST", QStringLiteral("/v1/accounts/local/datasets"),
                         R"({"datasetId":"ok","dataset":{"exampleCount":true}})");
        QCOMPARE(r.status, 400);
        QVERIFY(r.json()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("'exampleCount'")));
        r = m_http->send("POST", QStringLiteral("/v1/accounts/local/deployments?deploymentId=d"),
                         R"({"displayName":"x"})");
        QCOMPARE(r.status, 400);
        QVERIFY(r.json()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("'baseModel'")));
        r = m_http->send("GET", QStringLiteral("/v1/accounts/local/gizmos"));
        QCOMPARE(r.status, 404);
        QVERIFY(r.json()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("/v1/accounts/local/gizmos")));
        r = m_http->send("GET", QStringLiteral("/v1/accounts/local/models?pageToken=garbage"));
        QCOMPARE(r.status, 400);
        QVERIFY(r.json()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("pageToken")));
        r = m_http->send("GET", QStringLiteral("/v1/accounts/local/models?filter=%3D%3D"));
        QCOMPARE(r.status, 400);
        r = m_http->send("PUT", QStringLiteral("/v1/accounts/local/models"));
        QCOMPARE(r.status, 405);
        r = m_http->send("GET", QStringLiteral("/v1/accounts/local/models"), {}, {});
        QCOMPARE(r.status, 401);
        r = m_http->send("DELETE", QStringLiteral("/v1/accounts/fireworks/models/qwen3-0p6b"));
        QCOMPARE(r.status, 403);
        r = m_http->send("POST", QStringLiteral("/v1/accounts/local/datasets"),
                         QByteArray(5 * 1024 * 1024, ' '));
        QCOMPARE(r.status, 413);
        // Nothing half-written: the failed creates left no rows.
        r = m_http->send("GET", QStringLiteral("/v1/accounts/local/datasets"));
        QCOMPARE(r.json().value(QStringLiteral("totalSize")).toInt(), 0);
        QVERIFY(r.json().contains(QStringLiteral("datasets"))); // envelope present even when empty
    }

    //! An API key's expireTime that is no timestamp was stored as given and then read as no
    //! expiry: the key never expired. It is refused, as a Timestamp field is; a valid one and
    //! none are taken.
    void apiKeyExpireTime_thatIsNoTimestamp_isRefused()
    {
        const QString keys = QStringLiteral("/v1/accounts/local/users/local-user/apiKeys");
        for (const QJsonValue &bad : {QJsonValue(QStringLiteral("2025-13-45")),
                                      QJsonValue(QStringLiteral("tomorrow")), QJsonValue(5)}) {
            const QJsonObject body{
                {QStringLiteral("apiKey"),
                 QJsonObject{{QStringLiteral("displayName"), QStringLiteral("k")},
                             {QStringLiteral("expireTime"), bad}}}};
            Reply r = m_http->send("POST", keys, m_http->json(body));
            QCOMPARE(r.status, 400);
            QVERIFY2(r.body.contains("'apiKey.expireTime'"), r.body.constData());
        }
        Reply r = m_http->send("GET", keys);
        QCOMPARE(r.json().value(QStringLiteral("apiKeys")).toArray().size(), 0);
        for (const QJsonObject &spec :
             {QJsonObject{{QStringLiteral("expireTime"), QStringLiteral("2030-01-31T23:59:59Z")}},
              QJsonObject{}}) {
            r = m_http->send("POST", keys, m_http->json({{QStringLiteral("apiKey"), spec}}));
            QVERIFY2(r.status == 200, r.body.constData());
        }
    }

    void displayNameOf64_isRefusedOnUpdateAsOnCreate()
    {
        // "Must be fewer than 64 characters long" (the models reference), whether the name comes
        // with the create or with a later edit. Bodies are built as objects: moc misreads some
        // raw strings.
        const QString longest(63, QLatin1Char('n'));
        const QString tooLong(64, QLatin1Char('n'));
        const QByteArray refusal = "field 'displayName' must be shorter than 64 characters";
        const QJsonObject model{
            {QStringLiteral("modelId"), QStringLiteral("m")},
            {QStringLiteral("model"),
             QJsonObject{{QStringLiteral("kind"), QStringLiteral("HF_BASE_MODEL")},
                         {QStringLiteral("baseModelDetails"), QJsonObject()},
                         {QStringLiteral("displayName"), longest}}}};
        const QJsonObject dataset{
            {QStringLiteral("datasetId"), QStringLiteral("m")},
            {QStringLiteral("dataset"), QJsonObject{{QStringLiteral("displayName"), longest}}}};
        const QList<QPair<QString, QJsonObject>> creates = {
            {QStringLiteral("/v1/accounts/local/models"), model},
            {QStringLiteral("/v1/accounts/local/datasets"), dataset}};
        for (const auto &[path, createBody] : creates) {
            Reply r = m_http->send("POST", path, m_http->json(createBody));
            QVERIFY2(r.status == 200, r.body.constData());
            const QString resource = path + QStringLiteral("/m");
            for (const QString &query : {QStringLiteral("?updateMask=display_name"), QString()}) {
                r = m_http->send("PATCH", resource + query,
                                 m_http->json({{QStringLiteral("displayName"), tooLong}}));
                QCOMPARE(r.status, 400);
                QVERIFY2(r.body.contains(refusal), r.body.constData());
            }
            r = m_http->send("GET", resource);
            QCOMPARE(r.json().value(QStringLiteral("displayName")).toString(), longest);
            r = m_http->send("PATCH", resource + QStringLiteral("?updateMask=display_name"),
                             m_http->json({{QStringLiteral("displayName"), longest.left(10)}}));
            QVERIFY2(r.status == 200, r.body.constData());
        }
        // A description is held to its limit (fewer than 1000) the same way.
        const Reply r = m_http->send(
            "PATCH", QStringLiteral("/v1/accounts/local/models/m"),
            m_http->json({{QStringLiteral("description"), QString(1000, QLatin1Char('d'))}}));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.contains("field 'description' must be shorter than 1000 characters"),
                 r.body.constData());
    }

    void sdkWireDetails_areAccepted()
    {
        const QByteArray lora =
            "\",\"model\":{\"kind\":\"HF_PEFT_ADDON\",\"peftDetails\":{\"baseModel\":"
            "\"accounts/fireworks/models/qwen3-0p6b\",\"r\":8,\"targetModules\":[\"q_proj\"]}}}";
        for (const char *id : {"b-model", "a-model", "c-model"}) {
            const QByteArray body = QByteArray("{\"modelId\":\"") + id + lora;
            const int status =
                m_http->send("POST", QStringLiteral("/v1/accounts/local/models"), body).status;
            QCOMPARE(status, 200);
        }
        // Form-encoded query: '+' is a space, %3D is '='.
        auto r = m_http->send("GET", QStringLiteral("/v1/accounts/local/models?orderBy=name+desc"));
        QCOMPARE(r.status, 200);
        const QJsonArray models = r.json().value(QStringLiteral("models")).toArray();
        QCOMPARE(models.first().toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("accounts/local/models/c-model"));
        r = m_http->send("GET", QStringLiteral("/v1/accounts/local/models?filter=name%3Da-model"));
        QCOMPARE(r.json().value(QStringLiteral("models")).toArray().size(), 1);
        r = m_http->send(
            "GET", QStringLiteral(
                       "/v1/accounts/local/models?filter=state%3DUPLOADING+AND+name!%3Da-model"));
        QCOMPARE(r.json().value(QStringLiteral("models")).toArray().size(), 2);
        // DELETE with a JSON content type and no body; the answer is {} with a JSON type.
        r = m_http->send("DELETE", QStringLiteral("/v1/accounts/local/models/b-model"), {},
                         {{"Authorization", "Bearer k"}, {"Content-Type", "application/json"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("{}"));
        QVERIFY(r.contentType.startsWith("application/json"));
        // int64 accepted as a number too, emitted as a string.
        r = m_http->send("POST", QStringLiteral("/v1/accounts/local/datasets"),
                         R"({"datasetId":"n","dataset":{"exampleCount":12,"userUploaded":{}}})");
        QCOMPARE(r.json().value(QStringLiteral("exampleCount")).toString(), QStringLiteral("12"));
        // Duplicate create is 409 ALREADY_EXISTS.
        r = m_http->send("POST", QStringLiteral("/v1/accounts/local/datasets"),
                         R"({"datasetId":"n","dataset":{}})");
        QCOMPARE(r.status, 409);
        // Chat at /v1/chat/completions exists (no weights: 400 FAILED_PRECONDITION, not 404).
        r = m_http->send(
            "POST", QStringLiteral("/v1/chat/completions"),
            R"({"model":"accounts/fireworks/models/qwen3-0p6b","messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("FAILED_PRECONDITION"));
        QVERIFY(QJsonDocument::fromJson(r.body).object().value(QStringLiteral("error")).isObject());
        // Accounts strict clients need email.
        r = m_http->send("GET", QStringLiteral("/v1/accounts/local"));
        QVERIFY(!r.json().value(QStringLiteral("email")).toString().isEmpty());
        // Pagination clamps pageSize at 200.
        r = m_http->send("GET", QStringLiteral("/v1/accounts/fireworks/models?pageSize=100000"));
        QCOMPARE(r.status, 200);
    }

    void streaming_isSseWithRoleUsageAndDone()
    {
        ScriptedBackend backend;
        m_server->setInferenceBackend(&backend);
        const auto r = m_http->send(
            "POST", QStringLiteral("/inference/v1/chat/completions"),
            R"({"model":"accounts/fireworks/models/qwen3-0p6b","stream":true,"n":2,"messages":[{"role":"user","content":"hi"}]})",
            {{"Authorization", "Bearer k"}, {"Accept", "application/json"}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.contentType.startsWith("text/event-stream"));
        QList<QByteArray> events;
        for (const QByteArray &block : r.body.split('\n'))
            if (block.startsWith("data: "))
                events << block.mid(6);
        QCOMPARE(events.size(), 6); // 2 choices x 2 deltas, usage, [DONE]
        QCOMPARE(events.last(), QByteArray("[DONE]"));
        const QJsonObject first = QJsonDocument::fromJson(events[0]).object();
        QCOMPARE(first.value(QStringLiteral("object")).toString(),
                 QStringLiteral("chat.completion.chunk"));
        const QJsonObject delta = first.value(QStringLiteral("choices"))
                                      .toArray()
                                      .at(0)
                                      .toObject()
                                      .value(QStringLiteral("delta"))
                                      .toObject();
        QCOMPARE(delta.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(delta.value(QStringLiteral("content")).toString(), QStringLiteral("Hel"));
        const QJsonObject usage =
            QJsonDocument::fromJson(events[4]).object().value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("total_tokens")).toInt(), 9);
        // Non-streaming gathers the same text.
        const auto whole =
            m_http->send("POST", QStringLiteral("/inference/v1/completions"),
                         R"({"model":"accounts/fireworks/models/qwen3-0p6b","prompt":"x"})");
        QCOMPARE(whole.json()
                     .value(QStringLiteral("choices"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("text"))
                     .toString(),
                 QStringLiteral("Hello"));
        m_server->setInferenceBackend(nullptr);
    }

    // The inference model list names only what the sandbox can answer for, by the rule its
    // completion routes refuse with: a catalog model (no weights here) is not listed though
    // the REST catalog still has it; a model uploaded with its files is; one uploaded without
    // tokenizer.json is neither listed nor served, for the same reason.
    void inferenceModels_listOnlyWhatTheSandboxCanServe()
    {
        auto inferenceIds = [this] {
            QStringList ids;
            const auto r = m_http->send("GET", QStringLiteral("/inference/v1/models"));
            for (const QJsonValue &m : r.json().value(QStringLiteral("data")).toArray())
                ids << m.toObject().value(QStringLiteral("id")).toString();
            return ids;
        };
        const QString catalog = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        QCOMPARE(m_http->send("GET", QStringLiteral("/v1/") + catalog).status, 200);
        QCOMPARE(inferenceIds(), QStringList());

        QVERIFY(uploadModel(QStringLiteral("served"),
                            {"config.json", "model.safetensors", "tokenizer.json"}));
        QVERIFY(uploadModel(QStringLiteral("notokenizer"), {"config.json", "model.safetensors"}));
        QCOMPARE(inferenceIds(), QStringList{QStringLiteral("accounts/local/models/served")});
        const auto refused = m_http->send(
            "POST", QStringLiteral("/inference/v1/chat/completions"),
            R"({"model":"accounts/local/models/notokenizer","messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(refused.status, 400);
        QVERIFY2(refused.body.contains("FAILED_PRECONDITION") &&
                     refused.body.contains("without tokenizer.json"),
                 refused.body.constData());

        // A backend that can answer for every model lists the catalog too: the list follows
        // the backend's rule, not a second copy of it.
        ScriptedBackend backend;
        m_server->setInferenceBackend(&backend);
        const QStringList all = inferenceIds();
        m_server->setInferenceBackend(nullptr);
        QVERIFY2(all.contains(catalog) && all.contains(QStringLiteral("accounts/local/models/"
                                                                      "notokenizer")),
                 qPrintable(all.join(QLatin1Char(' '))));
    }

    void deployment_statusSaysWhetherItsModelCanAnswer()
    {
        auto statusOf = [this](const QString &id, const QString &model) {
            const auto r = m_http->send(
                "POST", QStringLiteral("/v1/accounts/local/deployments?deploymentId=") + id,
                QStringLiteral(R"({"baseModel":"%1"})").arg(model).toUtf8());
            return std::make_pair(r.status, r.json()
                                                .value(QStringLiteral("status"))
                                                .toObject()
                                                .value(QStringLiteral("message"))
                                                .toString());
        };
        // A catalog model has no weights here: its deployment is simulated all the same, and
        // says from the start that it will not answer (the chat would refuse it).
        const auto catalog =
            statusOf(QStringLiteral("cat"), QStringLiteral("accounts/fireworks/models/qwen3-0p6b"));
        QCOMPARE(catalog.first, 200);
        QVERIFY2(catalog.second.contains(QStringLiteral("cannot answer requests: model "
                                                        "accounts/fireworks/models/qwen3-0p6b "
                                                        "has no local weights")),
                 qPrintable(catalog.second));

        QVERIFY(uploadModel(QStringLiteral("served"),
                            {"config.json", "model.safetensors", "tokenizer.json"}));
        const auto served =
            statusOf(QStringLiteral("up"), QStringLiteral("accounts/local/models/served"));
        QCOMPARE(served.first, 200);
        QCOMPARE(served.second, QStringLiteral("Simulated provisioning on the Local sandbox"));
    }

    void signedUrls_refuseCredentialsWrongSizeAndWrongType()
    {
        m_http->send("POST", QStringLiteral("/v1/accounts/local/models"),
                     R"({"modelId":"m","model":{"kind":"HF_BASE_MODEL","baseModelDetails":{}}})");
        auto r =
            m_http->send("POST", QStringLiteral("/v1/accounts/local/models/m:getUploadEndpoint"),
                         R"({"filenameToSize":{"config.json":"2"}})");
        QCOMPARE(r.status, 200);
        const QString url = r.json()
                                .value(QStringLiteral("filenameToSignedUrls"))
                                .toObject()
                                .value(QStringLiteral("config.json"))
                                .toString();
        const QString path = QUrl(url).path();
        const QByteArray range = "2,2";
        QCOMPARE(m_http
                     ->send("PUT", path, "{}",
                            {{"Authorization", "Bearer k"},
                             {"Content-Type", "application/octet-stream"},
                             {"x-goog-content-length-range", range}})
                     .status,
                 400);
        QCOMPARE(
            m_http
                ->send("PUT", path, "{}",
                       {{"Content-Type", "text/plain"}, {"x-goog-content-length-range", range}})
                .status,
            400);
        // A body longer than the URL was signed for: 413 (issue 17), before any byte is stored.
        QCOMPARE(m_http
                     ->send("PUT", path, "{}  ",
                            {{"Content-Type", "application/octet-stream"},
                             {"x-goog-content-length-range", range}})
                     .status,
                 413);
        QCOMPARE(m_http->send("GET", QStringLiteral("/v1/accounts/local/models/m:validateUpload"))
                     .status,
                 400); // still landing
        QCOMPARE(m_http
                     ->send("PUT", path, "{}",
                            {{"Content-Type", "application/octet-stream"},
                             {"x-goog-content-length-range", range}})
                     .status,
                 200);
        r = m_http->send("GET", QStringLiteral("/v1/accounts/local/models/m:validateUpload"));
        QCOMPARE(r.status, 400); // config.json without architectures/model_type
        QVERIFY(r.body.contains("model_type"));
        QCOMPARE(m_http->send("GET", QStringLiteral("/signed/not-a-token"), {}, {}).status, 403);
    }

    void datasetValidator_aPromptFileStartingWithAnAnsweredRow_isRft()
    {
        const QByteArray answered =
            R"({"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"}]})"
            "\n";
        const QByteArray prompt = R"({"messages":[{"role":"user","content":"3+3?"}]})"
                                  "\n";
        const auto v = sandbox::validateDatasetJsonl(answered + prompt + answered);
        QVERIFY2(v.ok, qPrintable(v.error));
        QCOMPARE(v.kind, sandbox::DatasetValidation::Kind::Rft);
        QCOMPARE(v.exampleCount, 3);

        const auto chat = sandbox::validateDatasetJsonl(answered + answered + answered);
        QVERIFY2(chat.ok, qPrintable(chat.error));
        QCOMPARE(chat.kind, sandbox::DatasetValidation::Kind::Sft);

        // Declared CHAT, the prompt alone is still a chat row without its answer.
        const auto declared = sandbox::validateDatasetJsonl(
            answered + prompt + answered, sandbox::DatasetValidation::Kind::Sft);
        QVERIFY(!declared.ok);
        QCOMPARE(declared.errorLine, 2);
        QVERIFY2(declared.error.contains(QStringLiteral("no assistant message")),
                 qPrintable(declared.error));
    }

    // estimatedTokenCount counts every text the model reads: the same 400 characters as a
    // string, as the text part of a list content, or as a tool call's arguments weigh alike.
    // Only string contents were counted, so a vision or tool-calling dataset was estimated at
    // about 4 tokens a message.
    // A malformed multipart upload (the parser: sandbox.parsers) is a 400 and leaves the
    // dataset untouched.
    void malformedUpload_is400AndLeavesTheDataset()
    {
        m_http->send("POST", QStringLiteral("/v1/accounts/local/datasets"),
                     R"({"datasetId":"d","dataset":{"userUploaded":{}}})");
        auto r = m_http->send(
            "POST", QStringLiteral("/v1/accounts/local/datasets/d:upload"), "garbage",
            {{"Authorization", "Bearer k"}, {"Content-Type", "multipart/form-data; boundary=zz"}});
        QCOMPARE(r.status, 400);
        r = m_http->send("GET", QStringLiteral("/v1/accounts/local/datasets/d"));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("UPLOADING"));
    }

    void killDashNine_leavesAConsistentDatabase()
    {
        m_server.reset();
        const QString data = m_dir.path() + QStringLiteral("/killed");
        for (int round = 0; round < 3; ++round) {
            QProcess proc;
            proc.setProgram(QStringLiteral(FIREDECK_SANDBOX_EXE));
            proc.setArguments({QStringLiteral("--data"), data, QStringLiteral("--port"),
                               QStringLiteral("0"), QStringLiteral("--time-scale"),
                               QStringLiteral("50")});
            proc.start();
            QVERIFY(proc.waitForStarted());
            QVERIFY(QTest::qWaitFor([&] { return proc.canReadLine() || proc.bytesAvailable() > 0; },
                                    10000));
            const QString line = QString::fromUtf8(proc.readLine());
            const QString url = line.section(QLatin1Char(' '), 3, 3);
            QVERIFY2(url.startsWith(QStringLiteral("http://127.0.0.1:")), qPrintable(line));
            Http http{QUrl(url)};
            // Writes in flight (creates, and the clock moving deployments) when the kill lands.
            QNetworkAccessManager nam;
            for (int i = 0; i < 40; ++i) {
                QNetworkRequest req(
                    QUrl(url + QStringLiteral("/v1/accounts/local/deployments?deploymentId=r%1-d%2")
                                   .arg(round)
                                   .arg(i)));
                req.setRawHeader("Authorization", "Bearer k");
                req.setRawHeader("Content-Type", "application/json");
                nam.post(req,
                         QByteArray(R"({"baseModel":"accounts/fireworks/models/qwen3-0p6b"})"));
            }
            QTest::qWait(150 + round * 100);
            proc.kill(); // SIGKILL
            QVERIFY(proc.waitForFinished());
        }
        sandbox::SandboxOptions o;
        o.dataDir = data;
        sandbox::SandboxServer server(o);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        Http http(server.baseUrl());
        auto r = http.send("GET", QStringLiteral("/v1/accounts/local/deployments?pageSize=200"));
        QCOMPARE(r.status, 200);
        const QJsonArray deps = r.json().value(QStringLiteral("deployments")).toArray();
        QCOMPARE(r.json().value(QStringLiteral("totalSize")).toInt(), deps.size());
        for (const auto &d : deps) // every stored row is a whole resource
            QVERIFY(!d.toObject().value(QStringLiteral("baseModel")).toString().isEmpty());
        QVERIFY(http.send("GET", QStringLiteral("/v1/accounts/fireworks/models"))
                    .json()
                    .value(QStringLiteral("models"))
                    .toArray()
                    .size() > 5);
        // And it accepts new writes.
        QCOMPARE(http.send("POST", QStringLiteral("/v1/accounts/local/secrets"),
                           R"({"name":"accounts/local/secrets/after","keyName":"K"})")
                     .status,
                 200);
    }
};

QTEST_GUILESS_MAIN(tst_SandboxApi)
#include "tst_sandboxapi.moc"
