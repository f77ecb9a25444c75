#pragma once
// Driving a QWizard as a person would, shared by the fine-tuning wizard tests.

#include "uitesthelpers.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QLineEdit>
#include <QTest>
#include <QWizard>

namespace testing {

inline bool next(QWizard &wizard)
{
    return click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::NextButton)));
}

inline bool finish(QWizard &wizard)
{
    return click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::FinishButton)));
}

//! Picks the item whose data is `value`, as a person's choice would.
inline bool choose(QComboBox *combo, const QString &value)
{
    const int i = combo->findData(value);
    if (i < 0)
        return false;
    combo->setCurrentIndex(i);
    return true;
}

//! Types into a line edit as a person would (click, select all, type).
inline void typeInto(QWidget *editor, const QString &text)
{
    auto *edit = qobject_cast<QLineEdit *>(editor);
    QVERIFY(edit);
    QTest::mouseClick(edit, Qt::LeftButton);
    edit->selectAll();
    QTest::keyClicks(edit, text);
}

} // namespace testing
