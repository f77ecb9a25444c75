#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace models {

//! True for a state a job or deployment stays in by itself: a finished job (COMPLETED,
//! FAILED, CANCELLED, EARLY_STOPPED, EXPIRED) or a settled deployment/model (READY, FAILED, …).
//! Deleted and archived rows are not final states worth telling anyone about.
bool isFinalState(const QString &state);
//! A change from `before` to `after` is worth a desktop notification: the resource was
//! changing (or paused) and has now reached a final state.
bool notifiesOn(const QString &before, const QString &after);

//! Watches the jobs and deployments the user has open or started in this app and says when
//! one of them reaches a final state (the app turns that into a desktop notification). It is
//! fed state observations from the lists and views that poll; it fetches nothing itself.
class JobWatcher : public QObject
{
    Q_OBJECT
public:
    explicit JobWatcher(QObject *parent = nullptr);

    //! Follows `name` from now on; `label` names it to people ("SFT job my-run");
    //! `state` is its current state when known (a final state now does not notify).
    void watch(const QString &name, const QString &label, const QString &state = {});
    void unwatch(const QString &name);
    bool isWatching(const QString &name) const { return m_watched.contains(name); }
    //! A state seen for `name` (any resource; names not watched are ignored).
    void observe(const QString &name, const QString &state);

    //! The Settings switch (QSettings "notifications/finalStates", on by default).
    static bool notificationsEnabled();
    static void setNotificationsEnabled(bool enabled);

Q_SIGNALS:
    //! `name` reached `state`; `title` and `body` are the notification's text.
    void finalStateReached(const QString &name, const QString &state, const QString &title,
                           const QString &body);

private:
    struct Watched
    {
        QString label;
        QString state;
    };
    QHash<QString, Watched> m_watched;
};

} // namespace models
