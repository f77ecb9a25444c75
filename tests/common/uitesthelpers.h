#pragma once

// Helpers of the GUI tests. Pages open their dialogs with open() (window-modal, no nested
// event loop), so a test finds the dialog as a child of the page, fills it and accepts it.

#include <QAbstractButton>
#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTest>
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

} // namespace testing
