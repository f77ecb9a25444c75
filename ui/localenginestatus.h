#pragma once

#include <QHash>
#include <QToolButton>

namespace models {
class LocalEngine;
class LocalServer;
}

namespace ui {

//! The status bar's word on the local engine, seen from every page: the model a load is
//! reading ("Loading qwen2.5-0.5b… 2/4"), the models in memory and where ("Local:
//! qwen2.5-0.5b on CPU"), and whether the local server publishes them ("serving on
//! 127.0.0.1:8480"). Hidden while nothing is loaded, loading or served. A click asks for the
//! Local models page.
class LocalEngineStatus : public QToolButton
{
    Q_OBJECT
public:
    //! Neither is owned; `server` may be null (no Serve switch).
    LocalEngineStatus(models::LocalEngine *engine, models::LocalServer *server,
                      QWidget *parent = nullptr);

private:
    void refresh();

    models::LocalEngine *m_engine;
    models::LocalServer *m_server;
    struct Load
    {
        QString name;
        int done = 0;
        int total = 0;
    };
    QHash<quint64, Load> m_loads; // in flight, by load id
};

} // namespace ui
