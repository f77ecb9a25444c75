// The one confirmation box (ui::confirmThenRun): its question and consequence read as lines
// of a sentence, not as a tall thin column of two or three words each.

#include "common/uitesthelpers.h"

#include <ui/confirmation.h>

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>

using namespace testing;

class tst_Confirmation : public QObject
{
    Q_OBJECT

private:
    //! Lines a label's text takes at its laid-out width.
    static int linesOf(const QLabel *label)
    {
        return label->height() / label->fontMetrics().lineSpacing();
    }

private Q_SLOTS:
    // The dataset wizard's Escape question: about 150 characters of consequence.
    void aLongConsequenceWrapsIntoAFewWideLines()
    {
        QWidget parent;
        parent.resize(900, 600);
        parent.show();
        QVERIFY(QTest::qWaitForWindowExposed(&parent));
        bool ran = false;
        ui::confirmThenRun(&parent,
                           {QStringLiteral("Close the dataset wizard"),
                            QStringLiteral("Close the dataset wizard?"),
                            QStringLiteral("The upload is cancelled; the dataset created for it "
                                           "stays on the platform without its file (Upload "
                                           "again in a new wizard, or delete it on the Datasets "
                                           "page). Files written by Fix & split stay."),
                            QStringLiteral("&Close wizard")},
                           [&ran] { ran = true; });
        auto *box = waitForDialog<QMessageBox>(&parent);
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("confirmation"));
        auto *question = box->findChild<QLabel *>(QStringLiteral("qt_msgbox_label"));
        auto *consequence = box->findChild<QLabel *>(QStringLiteral("qt_msgbox_informativelabel"));
        QVERIFY(question && consequence);
        QTRY_VERIFY(consequence->isVisible());
        // A readable line is some 50 to 80 characters; the box was as narrow as ~30.
        const int fiftyChars = consequence->fontMetrics().averageCharWidth() * 50;
        QVERIFY2(
            consequence->width() >= fiftyChars,
            qPrintable(QStringLiteral("%1 px < %2").arg(consequence->width()).arg(fiftyChars)));
        QVERIFY2(linesOf(consequence) <= 4, qPrintable(QString::number(linesOf(consequence))));
        QCOMPARE(linesOf(question), 1);
        // Never wider than the screen it is on.
        QVERIFY(box->width() <= box->screen()->availableGeometry().width());
        // Cancel stays the default and nothing runs without the destructive button.
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        QVERIFY(click(box->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
        QVERIFY(ran);
    }

    // A short question is not stretched into a wide empty box.
    void aShortQuestionKeepsAModestBox()
    {
        QWidget parent;
        parent.resize(900, 600);
        parent.show();
        QVERIFY(QTest::qWaitForWindowExposed(&parent));
        ui::confirmThenRun(&parent,
                           {QStringLiteral("Delete secret"), QStringLiteral("Delete the secret a?"),
                            QStringLiteral("It is gone."), QStringLiteral("&Delete")},
                           [] {});
        auto *box = waitForDialog<QMessageBox>(&parent);
        QVERIFY(box);
        auto *consequence = box->findChild<QLabel *>(QStringLiteral("qt_msgbox_informativelabel"));
        QTRY_VERIFY(consequence->isVisible());
        const int eightyChars = consequence->fontMetrics().averageCharWidth() * 80;
        QVERIFY2(box->width() < eightyChars,
                 qPrintable(QStringLiteral("%1 px >= %2").arg(box->width()).arg(eightyChars)));
        box->reject();
    }
};

QTEST_MAIN(tst_Confirmation)
#include "tst_confirmation.moc"
