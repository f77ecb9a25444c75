#include "accountsnapshot.h"

namespace models {

using namespace client;

AccountSnapshot::AccountSnapshot(ApiClient *api, QObject *parent) : QObject(parent), m_api(api) {}

template <typename T>
void AccountSnapshot::fetch(int index, const QString &title, PendingCall<Page<T>> *call,
                            std::function<QString(const T &)> line)
{
    ++m_pending;
    const int generation = m_generation;
    connect(call, &PendingCallBase::finished, this, [this, call, index, title, line, generation] {
        if (generation != m_generation)
            return; // a newer refresh replaced this one
        --m_pending;
        const auto &result = call->result();
        ResourceSection &section = m_sections[index];
        section.title = title;
        if (result.ok()) {
            section.total = result.value().totalSize;
            for (const T &item : result.value().items)
                section.lines << line(item);
        } else {
            m_errors << QStringLiteral("%1: %2").arg(title, result.error().summary());
        }
        Q_EMIT changed();
        if (m_pending == 0)
            Q_EMIT loadingChanged(false);
    });
}

void AccountSnapshot::refresh()
{
    ++m_generation;
    m_pending = 0;
    m_errors.clear();
    m_sections = QList<ResourceSection>(8);
    Q_EMIT loadingChanged(true);
    ListRequest first;
    first.pageSize = 50;
    fetch<Model>(0, tr("Models"), m_api->models().list(first), [](const Model &m) {
        return QStringLiteral("%1  [%2, %3]")
            .arg(m.name, modelKindName(m.kind, m.kindRaw), modelStateName(m.state, m.stateRaw));
    });
    fetch<Model>(7, tr("Public base models (accounts/fireworks)"),
                 m_api->models().list(first, QStringLiteral("fireworks")), [](const Model &m) {
                     return QStringLiteral("%1  (%2)").arg(m.name, m.displayName);
                 });
    fetch<Dataset>(1, tr("Datasets"), m_api->datasets().list(first), [](const Dataset &d) {
        return QStringLiteral("%1  [%2, %3 examples]")
            .arg(d.name, datasetStateName(d.state, d.stateRaw))
            .arg(d.exampleCount);
    });
    fetch<Deployment>(2, tr("Deployments"), m_api->deployments().list(first),
                      [](const Deployment &d) {
                          return QStringLiteral("%1  [%2, %3 replicas] %4")
                              .arg(d.name, deploymentStateName(d.state, d.stateRaw))
                              .arg(d.replicaCount)
                              .arg(d.baseModel);
                      });
    auto job = [](const TrainingJob &j) {
        return QStringLiteral("%1  [%2 %3%]")
            .arg(j.name, jobStateLabel(j.state, j.stateRaw))
            .arg(j.jobProgress.percent);
    };
    fetch<TrainingJob>(3, tr("Supervised fine-tuning jobs"), m_api->sftJobs().list(first), job);
    fetch<TrainingJob>(4, tr("DPO jobs"), m_api->dpoJobs().list(first), job);
    fetch<TrainingJob>(5, tr("Reinforcement fine-tuning jobs"), m_api->rftJobs().list(first), job);
    fetch<Secret>(6, tr("Secrets"), m_api->secrets().list(first), [](const Secret &s) {
        return QStringLiteral("%1  (%2)").arg(s.name, s.keyName);
    });
}

} // namespace models
