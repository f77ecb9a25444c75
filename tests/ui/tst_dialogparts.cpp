// The dialogs' shared parts (ui/dialogparts): a window grows for a message shown under a field
// and gives that room back once the message goes, but keeps a height its user chose.

#include <ui/dialogparts.h>

#include <client/resourceidrules.h>

#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QVBoxLayout>

namespace {

// A dialog as the API key and secret dialogs are: fields, an error label, the buttons.
struct MessageDialog
{
    QDialog dialog;
    QLabel *error = nullptr;
    MessageDialog()
    {
        auto *layout = new QVBoxLayout(&dialog);
        auto *form = new QFormLayout;
        form->addRow(QStringLiteral("Name:"), new QLineEdit(&dialog));
        form->addRow(QStringLiteral("Description:"), new QLineEdit(&dialog));
        layout->addLayout(form);
        error = ui::makeErrorLabel(&dialog);
        layout->addWidget(error);
        layout->addWidget(
            new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog));
    }
};

const QString kLongProblem = QStringLiteral(
    "The expiry must be in the future: the date chosen has passed already, so the key would "
    "never work. Choose a later date or untick Expires to make a key that does not expire.");

} // namespace

class tst_DialogParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aDisplayNameField_takesNoMoreThanThePlatformDoes()
    {
        // The platform refuses a display name of 64 characters or more; the field stops at 63
        // rather than letting one be typed that the create then fails on.
        QDialog dialog;
        auto *form = new QFormLayout(&dialog);
        const ui::ResourceNameRows rows = ui::addResourceNameRows(
            form, &dialog, QStringLiteral("&ID:"), "idEdit", "idHint", QString());
        rows.displayName->setFocus();
        QTest::keyClicks(rows.displayName,
                         QString(client::kMaxDisplayNameLength + 5, QLatin1Char('n')));
        QCOMPARE(rows.displayName->text().size(), client::kMaxDisplayNameLength);
    }

    void anErrorPutRight_givesBackTheRoomItTook()
    {
        MessageDialog d;
        d.dialog.resize(360, d.dialog.sizeHint().height());
        d.dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d.dialog));
        const int height = d.dialog.height();
        ui::setErrorText(d.error, kLongProblem);
        QVERIFY(d.error->isVisible());
        QVERIFY2(d.dialog.height() > height, "no room was made for the error");
        // Put right: the blank band where it was goes too.
        ui::setErrorText(d.error, QString());
        QCOMPARE(d.dialog.height(), height);
        // Again, after another message: the room is given back each time.
        ui::setErrorText(d.error, QStringLiteral("Short."));
        ui::setErrorText(d.error, kLongProblem);
        ui::setErrorText(d.error, QString());
        QCOMPARE(d.dialog.height(), height);
    }

    void aLabelShownBeforeGrowToFit_isGivenBackItsRoomToo()
    {
        // As the API key and secret dialogs do: text, visibility, then growToFit.
        MessageDialog d;
        d.dialog.resize(360, d.dialog.sizeHint().height());
        d.dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d.dialog));
        const int height = d.dialog.height();
        ui::growToFit(&d.dialog); // validated with nothing to say yet
        d.error->setText(kLongProblem);
        d.error->setVisible(true);
        ui::growToFit(&d.dialog);
        QVERIFY(d.dialog.height() > height);
        d.error->setText(QString());
        d.error->setVisible(false);
        ui::growToFit(&d.dialog);
        QCOMPARE(d.dialog.height(), height);
    }

    void aHeightTheUserChose_isKept()
    {
        MessageDialog d;
        d.dialog.resize(360, d.dialog.sizeHint().height());
        d.dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d.dialog));
        // Dragged taller than any message needs: nothing to grow, nothing to give back.
        const int chosen = d.dialog.height() + 200;
        d.dialog.resize(d.dialog.width(), chosen);
        QTRY_COMPARE(d.dialog.height(), chosen);
        ui::setErrorText(d.error, kLongProblem);
        QCOMPARE(d.dialog.height(), chosen);
        ui::setErrorText(d.error, QString());
        QCOMPARE(d.dialog.height(), chosen);
    }
};

QTEST_MAIN(tst_DialogParts)
#include "tst_dialogparts.moc"
