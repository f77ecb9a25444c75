#pragma once

// The one way a destructive action asks first, on a page or in a dialog.

#include <QString>

#include <functional>

class QWidget;

namespace ui {

//! What a destructive action asks before it runs. One style everywhere: a warning box that
//! names what goes by its display name, says what follows, and has Cancel as the default.
struct Confirmation
{
    QString title;       //!< window title, e.g. "Delete model"
    QString question;    //!< e.g. "Delete the model My model (my-model)?"
    QString consequence; //!< what follows, e.g. "Deployments that serve it stop working."
    QString confirmText; //!< the destructive button, e.g. "&Delete"
};

//! Asks `confirmation` in a window-modal box over `parent` (object name "confirmation", its
//! destructive button "confirmButton"); runs `run` only when the user confirms. Enter never
//! destroys: Cancel is the default and has the focus.
void confirmThenRun(QWidget *parent, const Confirmation &confirmation, std::function<void()> run);

} // namespace ui
