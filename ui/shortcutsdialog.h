#pragma once

#include <QDialog>
#include <QList>

namespace ui {

//! Help → Keyboard shortcuts (F1): every key the window answers now, read from its actions (the
//! menus, each page's toolbar) and from its described shortcuts (Send, Stop, Back), so the list
//! cannot drift from what the keys do. A filter box narrows it.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    struct Entry
    {
        QString where; //!< the menu or the page ("File", "Playground")
        QString what;
        QString keys; //!< as the desktop writes them ("Ctrl+Shift+D")
    };

    explicit ShortcutsDialog(QWidget *window, QWidget *parent = nullptr);

    //! What `window` holds now: actions with a shortcut, QShortcuts with a whatsThis (a
    //! shortcut without one is not offered to people), and the Alt+letter of the buttons,
    //! labelled fields and tabs on screen; in a dialog also Enter and Esc.
    static QList<Entry> collect(QWidget *window);
    //! Makes F1 in any dialog list that dialog's keys (the window's F1 action is blocked
    //! while a modal dialog is open); `owner` keeps the key handler.
    static void answerF1InDialogs(QObject *owner);
};

} // namespace ui
