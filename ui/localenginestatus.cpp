#include "localenginestatus.h"

#include <models/localengine.h>
#include <models/localserver.h>

#include <QFileInfo>
#include <QUrl>

namespace ui {

LocalEngineStatus::LocalEngineStatus(models::LocalEngine *engine, models::LocalServer *server,
                                     QWidget *parent)
    : QToolButton(parent), m_engine(engine), m_server(server)
{
    setObjectName(QStringLiteral("localEngineStatus"));
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(m_engine, &models::LocalEngine::loadStarted, this,
            [this](quint64 id, const QString &dir) {
                m_loads[id].name = QFileInfo(dir).fileName();
                refresh();
            });
    connect(m_engine, &models::LocalEngine::loadProgress, this,
            [this](quint64 id, int done, int total, const QString &) {
                Load &load = m_loads[id]; // a load started elsewhere has no name yet
                load.done = done;
                load.total = total;
                refresh();
            });
    connect(m_engine, &models::LocalEngine::loadFinished, this, [this](quint64 id) {
        m_loads.remove(id);
        refresh();
    });
    connect(m_engine, &models::LocalEngine::loadedModelsChanged, this, &LocalEngineStatus::refresh);
    connect(m_engine, &models::LocalEngine::generatingChanged, this, &LocalEngineStatus::refresh);
    if (m_server)
        connect(m_server, &models::LocalServer::runningChanged, this, &LocalEngineStatus::refresh);
    refresh();
}

void LocalEngineStatus::refresh()
{
    QStringList parts;
    QStringList tips;
    for (const Load &load : std::as_const(m_loads)) {
        const QString name = load.name.isEmpty() ? tr("a model") : load.name;
        parts << (load.total > 0 ? tr("Loading %1… %2/%3").arg(name).arg(load.done).arg(load.total)
                                 : tr("Loading %1…").arg(name));
    }
    const QList<enginehost::LoadedModel> loaded = m_engine->loadedModels();
    int generating = 0;
    for (const enginehost::LoadedModel &m : loaded) {
        const bool busy = m_engine->isGenerating(m.handle);
        generating += busy ? 1 : 0;
        tips << tr("%1 in memory on %2 (%3), context %4 tokens%5")
                    .arg(m.displayName(), m.backendName.toUpper(), m.backendReason)
                    .arg(m.contextLength)
                    .arg(busy ? tr(", writing a reply now") : QString());
    }
    // Whether a model is busy shows without opening the page that asked it (a reply in
    // another conversation, a client of the local server).
    if (loaded.size() == 1)
        parts << (generating ? tr("Local: %1 on %2, generating")
                             : tr("Local: %1 on %2"))
                     .arg(loaded.first().displayName(), loaded.first().backendName.toUpper());
    else if (loaded.size() > 1)
        parts << (generating ? tr("Local: %1 models, %2 generating").arg(loaded.size()).arg(generating)
                             : tr("Local: %1 models").arg(loaded.size()));
    if (m_server && m_server->isRunning()) {
        const QUrl url(m_server->url());
        parts << tr("serving on %1:%2").arg(url.host()).arg(url.port());
        tips << tr("The local server publishes them at %1").arg(m_server->url());
    }
    setText(parts.join(QStringLiteral(" · ")));
    tips << tr("Click for the Local models page.");
    setToolTip(tips.join(QLatin1Char('\n')));
    setAccessibleName(text());
    setVisible(!parts.isEmpty());
}

} // namespace ui
