#pragma once

// Every target the playground can talk to now: the models loaded in the local engine, and the
// current profile's platform models (serverless models, READY deployments, DEPLOYED LoRAs),
// fetched in the background when asked. Platform look-ups that fail leave the local targets
// usable and say why in platformProblem().

#include <models/chatprovider.h>

#include <QHash>

#include <optional>

namespace client {
class ApiClient;
}

namespace models {

class LocalEngine;

class ChatTargets : public QObject
{
    Q_OBJECT
public:
    //! Neither is owned; `api` may be null (local targets only).
    ChatTargets(LocalEngine *engine, client::ApiClient *api, QObject *parent = nullptr);

    //! The key of the chat target that is deployment `deploymentName` serving `baseModel`
    //! (what the Deployments page hands the Playground).
    static QString deploymentKey(const QString &baseModel, const QString &deploymentName);

    //! Local targets first, then deployments, deployed LoRAs and serverless models.
    QList<ChatTarget> targets() const;
    std::optional<ChatTarget> find(const QString &key) const;
    //! find(), or for a local folder that is not loaded now a target labelled so (it cannot
    //! answer until the model is loaded; a reopened side-by-side column shows it); None for
    //! an empty key or a platform target without a platform.
    ChatTarget resolve(const QString &key) const;
    //! Re-reads the platform's lists (three background calls); changed() follows each answer.
    void refreshPlatform();
    //! For a platform target whose context window is not known (a serverless model, a
    //! deployment on its model's default): asks the model's contextLength once, in the
    //! background; changed() follows, and targets() and find() carry it from then on.
    void lookUpContextLength(const ChatTarget &target);
    QString platformProblem() const { return m_problem; }
    bool isRefreshing() const { return m_pending > 0; }

Q_SIGNALS:
    void changed();

private:
    void answered(const QString &problem);

    LocalEngine *m_engine;    // not owned
    client::ApiClient *m_api; // not owned
    //! Fills a platform target's unknown window from the models looked up.
    ChatTarget withKnownContext(ChatTarget target) const;

    QList<ChatTarget> m_deployments, m_loras, m_serverless;
    QHash<QString, qint64> m_modelContext; // model name → contextLength (0: asked, none)
    QString m_problem;
    int m_pending = 0;
    int m_generation = 0; // answers of an older refresh are dropped
};

} // namespace models
