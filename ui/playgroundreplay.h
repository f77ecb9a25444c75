#pragma once

// "Open in playground" from deep inside a page (the rollouts tab of a job view, a dataset
// preview dialog) reaches the Playground through the window: MainWindow owns one
// PlaygroundReplay, a widget finds it with PlaygroundReplay::of(this), and the window shows the
// Playground with the prompt. No page in between has to pass a signal along.

#include <models/chatprovider.h>
#include <models/chatreplay.h>

#include <QObject>

class QWidget;

namespace ui {

class PlaygroundReplay : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    //! The relay of `widget`'s window (or of the window a dialog belongs to); null when the
    //! widget is not in a Firedeck window (a tab tested on its own).
    static PlaygroundReplay *of(const QWidget *widget);

Q_SIGNALS:
    //! Open `prompt` as a new conversation titled `title`, its last user turn ready to send
    //! (models/chatreplay.h: a trailing assistant turn is shown as the reference answer).
    void requested(const QString &title, const QList<models::ChatTurn> &prompt);
    //! The same with the sampling to use and what the reference answer is (an RFT rollout:
    //! the job's rollout sampling and the model's answer at that step).
    void replayRequested(const models::ReplayRequest &request);
};

} // namespace ui
