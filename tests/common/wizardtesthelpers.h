#pragma once
// Driving a QWizard as a person would, shared by the fine-tuning wizard tests.

#include "uitesthelpers.h"

#include <client/trainingjobs.h>
#include <sandbox/sandboxserver.h>
#include <ui/finetunewizard.h>

#include <QAbstractButton>
#include <QComboBox>
#include <QLineEdit>
#include <QTest>
#include <QWizard>

#include <atomic>
#include <memory>

namespace testing {

inline bool next(QWizard &wizard)
{
    return click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::NextButton)));
}

inline bool finish(QWizard &wizard)
{
    return click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::FinishButton)));
}

inline bool back(QWizard &wizard)
{
    return click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::BackButton)));
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

//! Shows the fine-tuning wizard and waits until it has read its lists (isLoaded); each job it
//! creates from then on is appended to `created`, when given. False when it did not show or
//! did not load in `timeoutMs`.
[[nodiscard]] inline bool showLoaded(ui::FineTuneWizard &wizard,
                                     QList<client::TrainingJob> *created = nullptr,
                                     int timeoutMs = 10000)
{
    if (created)
        QObject::connect(&wizard, &ui::FineTuneWizard::jobCreated, &wizard,
                         [created](const client::TrainingJob &job) { *created << job; });
    wizard.show();
    return QTest::qWaitForWindowExposed(&wizard) &&
           QTest::qWaitFor([&] { return wizard.isLoaded(); }, timeoutMs);
}

//! Counts the evaluator creates (POST …/evaluatorsV2) the sandbox started with `options` is
//! sent, to see that a wizard builds an evaluator once, not once per try.
inline std::shared_ptr<std::atomic<int>> countEvaluatorCreates(sandbox::SandboxOptions &options)
{
    auto creates = std::make_shared<std::atomic<int>>(0);
    options.requestObserver = [creates](const QByteArray &method, const QString &path,
                                        const QString &, const QByteArray &) {
        if (method == "POST" && path.endsWith(QLatin1String("/evaluatorsV2")))
            ++*creates;
    };
    return creates;
}

} // namespace testing
