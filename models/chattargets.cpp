#include "chattargets.h"

#include <models/localengine.h>
#include <models/pagedfetch.h>

#include <client/apiclient.h>
#include <client/deployments.h>
#include <client/inference.h>
#include <client/models.h>
#include <client/resourcenames.h>

#include <engine/host/enginehost.h>

#include <QFileInfo>

namespace models {

namespace {

const QString kPlatformKey = QStringLiteral("platform:");

ChatTarget platformTarget(const QString &model, const QString &label, const QString &where)
{
    ChatTarget t;
    t.kind = ChatTarget::Kind::Platform;
    t.model = model;
    t.label = label;
    t.where = where;
    return t;
}

} // namespace

QString ChatTarget::key() const
{
    switch (kind) {
    case Kind::Local:
        return localDir;
    case Kind::Platform:
        return kPlatformKey + model;
    case Kind::None:
        break;
    }
    return {};
}

QString ChatTargets::deploymentKey(const QString &baseModel, const QString &deploymentName)
{
    return kPlatformKey + client::inferenceModel(baseModel, deploymentName);
}

ChatTargets::ChatTargets(LocalEngine *engine, client::ApiClient *api, QObject *parent)
    : QObject(parent), m_engine(engine), m_api(api)
{
    connect(m_engine, &LocalEngine::loadedModelsChanged, this, &ChatTargets::changed);
}

QList<ChatTarget> ChatTargets::targets() const
{
    QList<ChatTarget> out;
    for (const enginehost::LoadedModel &m : m_engine->loadedModels()) {
        ChatTarget t;
        t.kind = ChatTarget::Kind::Local;
        t.localHandle = m.handle;
        t.localDir = m.dir;
        const QString backend = m.backendName.toUpper();
        t.label = tr("%1 (local %2)").arg(m.displayName(), backend);
        t.where = m.where();
        t.contextLength = m.contextLength;
        out << t;
    }
    for (const QList<ChatTarget> *list : {&m_deployments, &m_loras, &m_serverless})
        for (const ChatTarget &t : *list)
            out << withKnownContext(t);
    return out;
}

ChatTarget ChatTargets::withKnownContext(ChatTarget target) const
{
    if (target.kind == ChatTarget::Kind::Platform && target.contextLength <= 0)
        target.contextLength = m_modelContext.value(client::inferenceModelOf(target.model));
    return target;
}

void ChatTargets::lookUpContextLength(const ChatTarget &target)
{
    if (target.kind != ChatTarget::Kind::Platform || target.contextLength > 0 || !m_api)
        return;
    const QString model = client::inferenceModelOf(target.model);
    if (model.isEmpty() || m_modelContext.contains(model))
        return;
    m_modelContext.insert(model, 0); // asked once, whatever the answer
    client::ApiClient::BackgroundScope background(m_api);
    auto *call = m_api->models().get(model);
    connect(call, &client::PendingCallBase::finished, this, [this, call, model] {
        // A LoRA or a model without the field leaves the window unknown: nothing is shown.
        if (call->result().ok() && call->result().value().contextLength > 0) {
            m_modelContext.insert(model, call->result().value().contextLength);
            Q_EMIT changed();
        }
    });
}

std::optional<ChatTarget> ChatTargets::find(const QString &key) const
{
    if (key.isEmpty())
        return std::nullopt;
    for (const ChatTarget &t : targets())
        if (t.key() == key)
            return t;
    // A platform target the lists have not (yet) shown is still addressable by its name.
    if (key.startsWith(kPlatformKey) && m_api) {
        const QString model = key.mid(kPlatformKey.size());
        const QString deployment = client::inferenceDeployment(model);
        return withKnownContext(platformTarget(
            model, tr("%1 (platform)").arg(client::resourceId(model)),
            deployment.isEmpty()
                ? tr("platform · %1").arg(client::resourceId(model))
                : tr("platform · deployment %1").arg(client::resourceId(deployment))));
    }
    return std::nullopt;
}

ChatTarget ChatTargets::resolve(const QString &key) const
{
    if (const auto found = find(key))
        return *found;
    ChatTarget t;
    if (key.isEmpty() || key.startsWith(kPlatformKey))
        return t;
    t.kind = ChatTarget::Kind::Local;
    t.localDir = key;
    t.label = tr("%1 (not loaded)").arg(QFileInfo(key).fileName());
    t.where = t.label;
    return t;
}

void ChatTargets::refreshPlatform()
{
    if (!m_api || m_api->baseUrl().isEmpty())
        return;
    const int generation = ++m_generation;
    m_pending = 3;
    m_modelContext.clear(); // another profile, or models changed: asked again when chosen
    m_problem.clear();
    // Not the user's request: a failed list is said here, not as the window's last error.
    client::ApiClient::BackgroundScope background(m_api);
    client::ListRequest all;
    all.pageSize = 200;

    // Every page of both lists (the server gives at most 200 a page): a target past the first
    // page must be pickable too. Each list shows what has come so far, replacing the older
    // refresh's at its first page.
    auto deployments = std::make_shared<QList<ChatTarget>>();
    fetchAllPages<client::Deployment>(
        this,
        [this](const client::ListRequest &r) {
            client::ApiClient::BackgroundScope background(m_api);
            return m_api->deployments().list(r);
        },
        all,
        [this, deployments, generation](const QList<client::Deployment> &items) {
            if (generation != m_generation)
                return;
            for (const client::Deployment &d : items) {
                if (d.state != client::DeploymentState::Ready)
                    continue;
                ChatTarget t = platformTarget(
                    client::inferenceModel(d.baseModel, d.name),
                    tr("%1 on deployment %2")
                        .arg(client::resourceId(d.baseModel), d.displayName.isEmpty()
                                                                  ? client::resourceId(d.name)
                                                                  : d.displayName),
                    tr("platform · deployment %1").arg(client::resourceId(d.name)));
                // 0 means the model's default, which the deployment does not say.
                t.contextLength = d.maxContextLength;
                *deployments << t;
            }
            m_deployments = *deployments;
            Q_EMIT changed();
        },
        [this, deployments, generation](const PagedFetchEnd &end) {
            if (generation != m_generation)
                return;
            m_deployments = *deployments;
            answered(
                end.ok ? QString()
                       : tr("Deployments (%1 listed): %2").arg(end.items).arg(end.error.summary()));
        });

    auto loras = std::make_shared<QList<ChatTarget>>();
    fetchAllPages<client::DeployedModel>(
        this,
        [this](const client::ListRequest &r) {
            client::ApiClient::BackgroundScope background(m_api);
            return m_api->deployedModels().list(r);
        },
        all,
        [this, loras, generation](const QList<client::DeployedModel> &items) {
            if (generation != m_generation)
                return;
            for (const client::DeployedModel &m : items)
                if (m.state == client::DeployedModelState::Deployed && !m.deployment.isEmpty())
                    *loras << platformTarget(
                        client::inferenceModel(m.model, m.deployment),
                        tr("LoRA %1 on deployment %2")
                            .arg(client::resourceId(m.model), client::resourceId(m.deployment)),
                        tr("platform · LoRA %1 on deployment %2")
                            .arg(client::resourceId(m.model), client::resourceId(m.deployment)));
            m_loras = *loras;
            Q_EMIT changed();
        },
        [this, loras, generation](const PagedFetchEnd &end) {
            if (generation != m_generation)
                return;
            m_loras = *loras;
            answered(
                end.ok
                    ? QString()
                    : tr("Deployed LoRAs (%1 listed): %2").arg(end.items).arg(end.error.summary()));
        });

    auto *serverless = m_api->inference().listModels();
    connect(serverless, &client::PendingCallBase::finished, this, [this, serverless, generation] {
        if (generation != m_generation)
            return;
        m_serverless.clear();
        const auto &r = serverless->result();
        if (r.ok())
            for (const client::InferenceModel &m : r.value())
                m_serverless << platformTarget(
                    m.id, tr("%1 (serverless)").arg(client::resourceId(m.id)),
                    tr("platform · serverless %1").arg(client::resourceId(m.id)));
        answered(r.ok() ? QString() : tr("Serverless models: %1").arg(r.error().summary()));
    });
}

void ChatTargets::answered(const QString &problem)
{
    if (!problem.isEmpty())
        m_problem = m_problem.isEmpty() ? problem : m_problem + QLatin1Char('\n') + problem;
    --m_pending;
    Q_EMIT changed();
}

} // namespace models
