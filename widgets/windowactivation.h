#pragma once

#include <functional>

class QWidget;

namespace widgets {

//! Calls `activated` each time the window of `widget` becomes the active window while
//! `widget` is shown: the user came back to the app from a terminal or a browser. QWidget
//! passes WindowActivate on to its visible children only, so a page hidden in a stack is not
//! told. The call stops when `widget` is destroyed.
void onWindowActivated(QWidget *widget, std::function<void()> activated);

} // namespace widgets
