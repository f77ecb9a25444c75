#pragma once

// Helpers of the GUI tests. Pages open their dialogs with open() (window-modal, no nested
// event loop), so a test finds the dialog as a child of the page, fills it and accepts it.

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTest>
#include <QToolButton>
#include <QWidget>

namespace testing {

//! The visible dialog of type T below `parent` (a page or the window), waiting for it to
//! appear; nullptr after the timeout.
template <typename T> T *waitForDialog(QObject *parent, int timeoutMs = 5000)
{
    T *found = nullptr;
    // The caller checks the result (nullptr on timeout).
    (void)QTest::qWaitFor(
        [&] {
            for (T *d : parent->findChildren<T *>())
                if (d->isVisible()) {
                    found = d;
                    return true;
                }
            return false;
        },
        timeoutMs);
    return found;
}

//! Clicks the button with `role` of the first QDialogButtonBox of `dialog`.
inline bool clickButton(QWidget *dialog, QDialogButtonBox::StandardButton which)
{
    const auto boxes = dialog->findChildren<QDialogButtonBox *>();
    for (QDialogButtonBox *box : boxes)
        if (QAbstractButton *b = box->button(which)) {
            if (!b->isEnabled())
                return false;
            b->click();
            return true;
        }
    return false;
}

//! The action of `page` whose text, without mnemonics, starts with `text`; nullptr if none.
inline QAction *actionStartingWith(QWidget *page, const QString &text)
{
    for (QAction *a : page->actions())
        if (a->text().remove(QLatin1Char('&')).startsWith(text))
            return a;
    return nullptr;
}

// Real input: tests act through the events a person's mouse and keyboard produce, never by
// calling slots or setCurrentIndex(), so a page that only works for programmatic calls fails.

//! The view row whose `role` data equals `value`, -1 when none.
inline int viewRowOf(const QAbstractItemView *view, int role, const QVariant &value)
{
    const QAbstractItemModel *m = view->model();
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data(role) == value)
            return r;
    return -1;
}

//! Clicks `row` (a row of the view's own model) with the left mouse button, at the centre
//! of the cell in `column`, after scrolling it into view. False when it is not visible.
inline bool clickRow(QAbstractItemView *view, int row, int column = 0,
                     Qt::KeyboardModifiers modifiers = {})
{
    const QModelIndex index = view->model()->index(row, column);
    if (!index.isValid())
        return false;
    view->scrollTo(index);
    const QRect rect = view->visualRect(index);
    if (!rect.isValid() || !view->viewport()->rect().intersects(rect))
        return false;
    QTest::mouseClick(view->viewport(), Qt::LeftButton, modifiers, rect.center());
    return true;
}

//! Clicks the view's empty area below its last row (the view must have room there).
inline bool clickEmptySpace(QAbstractItemView *view)
{
    const QPoint below(view->viewport()->width() / 2, view->viewport()->height() - 3);
    if (view->indexAt(below).isValid())
        return false;
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, below);
    return true;
}

//! Clicks a button with the mouse; false when it is hidden or disabled (a person could not).
inline bool click(QAbstractButton *button)
{
    if (!button || !button->isVisible() || !button->isEnabled())
        return false;
    QTest::mouseClick(button, Qt::LeftButton, {}, button->rect().center());
    return true;
}

//! Clicks the visible toolbar button of `action` with the mouse; false when there is none
//! or it is disabled.
inline bool clickAction(QAction *action)
{
    if (!action)
        return false;
    for (QObject *o : action->associatedObjects())
        if (auto *button = qobject_cast<QToolButton *>(o))
            if (button->isVisible())
                return click(button);
    return false;
}

//! Presses Tab until `target` has the focus (at most `maxTabs` times); false if never.
inline bool tabTo(QWidget *window, QWidget *target, int maxTabs = 60)
{
    for (int i = 0; i < maxTabs; ++i) {
        if (target->hasFocus())
            return true;
        QWidget *focused = QApplication::focusWidget();
        QTest::keyClick(focused ? focused : window, Qt::Key_Tab);
    }
    return target->hasFocus();
}

} // namespace testing
