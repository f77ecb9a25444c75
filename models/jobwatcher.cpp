#include "jobwatcher.h"

#include <client/jobstate.h>
#include <client/states.h>

#include <QSettings>

namespace models {

namespace {

const char kSettingsKey[] = "notifications/finalStates";

} // namespace

bool isFinalState(const QString &state)
{
    if (state.startsWith(QLatin1String("JOB_STATE_"))) {
        const client::JobState s = client::detail::readJobState(state);
        return client::isTerminal(s) && s != client::JobState::Deleted &&
               s != client::JobState::Archived;
    }
    const client::StateTone tone = client::stateTone(state);
    return tone == client::StateTone::Good || tone == client::StateTone::Bad;
}

bool notifiesOn(const QString &before, const QString &after)
{
    // An unknown "before" (first sight) is no transition: a job that was already done when
    // the user opened it is not news.
    return !before.isEmpty() && before != after && !isFinalState(before) && isFinalState(after);
}

JobWatcher::JobWatcher(QObject *parent) : QObject(parent) {}

void JobWatcher::watch(const QString &name, const QString &label, const QString &state)
{
    Watched &w = m_watched[name];
    w.label = label;
    if (!state.isEmpty())
        w.state = state;
}

void JobWatcher::unwatch(const QString &name)
{
    m_watched.remove(name);
}

void JobWatcher::observe(const QString &name, const QString &state)
{
    auto it = m_watched.find(name);
    if (it == m_watched.end() || state.isEmpty())
        return;
    const QString before = std::exchange(it->state, state);
    if (!notifiesOn(before, state))
        return;
    const client::StateTone tone = client::stateTone(state);
    const QString title = tone == client::StateTone::Good
                              ? tr("%1 is %2").arg(it->label, client::stateLabel(state))
                              : tr("%1 ended: %2").arg(it->label, client::stateLabel(state));
    const QString body =
        tr("%1 went from %2 to %3.").arg(name, client::stateLabel(before), client::stateLabel(state));
    Q_EMIT finalStateReached(name, state, title, body);
}

bool JobWatcher::notificationsEnabled()
{
    return QSettings().value(QLatin1String(kSettingsKey), true).toBool();
}

void JobWatcher::setNotificationsEnabled(bool enabled)
{
    QSettings().setValue(QLatin1String(kSettingsKey), enabled);
}

} // namespace models
