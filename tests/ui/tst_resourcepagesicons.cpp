// Resource pages' icons (issue 16): every toolbar action and every button outside the
// toolbars has its verb's icon from the bundled set, drawn light on the dark theme, chosen by
// what the action does (icons::Action) and not by its English label.

#include "resourcepagetesthelpers.h"

#include "common/uitesthelpers.h"

#include <ui/apikeyspage.h>
#include <ui/icons.h>
#include <ui/theme.h>
#include <ui/trainingjobspage.h>

#include <models/apikeylistmodel.h>
#include <models/trainingjoblistmodel.h>

#include <QAbstractButton>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QImage>
#include <QPushButton>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QTranslator>
#include <QWidgetAction>

using namespace testing;

namespace {

//! Whether `icon` has light pixels in the dark theme (a symbolic icon recoloured for it).
bool drawnLightOnDark(const QIcon &icon)
{
    ui::applyTheme(ui::Theme::Dark);
    const QImage image = icon.pixmap(QSize(16, 16)).toImage();
    ui::applyTheme(ui::Theme::System);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixelColor(x, y).alpha() > 128 && image.pixelColor(x, y).lightness() > 160)
                return true;
    return false;
}

//! Issue 16: a button outside a toolbar has the icon its verb has in the toolbars (bundled,
//! so it shows without a desktop icon theme), light on the dark theme.
void verifyButtonIcon(const QAbstractButton *button, const char *iconName)
{
    QVERIFY(button);
    const QString text = button->text();
    QVERIFY2(!button->icon().isNull(), qPrintable(text));
    QCOMPARE(button->icon().name(), QString::fromLatin1(iconName));
    QVERIFY2(ui::icons::isBundled(button->icon().name()), qPrintable(text));
    QVERIFY2(drawnLightOnDark(button->icon()), qPrintable(text));
}

//! Issue 16: every toolbar action has an icon from the bundled set (so it shows without a
//! desktop icon theme), beside its text, and drawn light on the dark theme.
template <typename Page> void toolbarIcons()
{
    PageFixture<Page> t;
    auto *bar = t.page.template findChild<QToolBar *>();
    QVERIFY(bar);
    QCOMPARE(bar->toolButtonStyle(), Qt::ToolButtonTextBesideIcon);
    int checked = 0;
    for (QAction *a : bar->actions()) {
        if (a->isSeparator() || qobject_cast<QWidgetAction *>(a))
            continue; // the filter box, the spacer and other embedded widgets
        const QString text = a->text().remove(QLatin1Char('&'));
        QVERIFY2(!a->icon().isNull(), qPrintable(text));
        QVERIFY2(ui::icons::isBundled(a->icon().name()), qPrintable(text));
        auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(a));
        QVERIFY2(button && !button->text().isEmpty(), qPrintable(text));

        QVERIFY2(drawnLightOnDark(a->icon()),
                 qPrintable(QStringLiteral("%1 is not drawn light on dark").arg(text)));
        ++checked;
    }
    QVERIFY(checked >= 2); // Refresh and at least one page action
}

//! Rewords every tr() text as a translation would ("Zz &Delete…"): no English verb left.
class RewordingTranslator : public QTranslator
{
public:
    bool isEmpty() const override { return false; }
    QString translate(const char *, const char *source, const char *, int) const override
    {
        return QStringLiteral("Zz ") + QString::fromUtf8(source);
    }
};

//! The icon names of a page's toolbar actions, in order, with their labels.
template <typename Page> QList<QPair<QString, QString>> toolbarIconNames(SandboxFixture &sb)
{
    PageFixture<Page> t(sb);
    QList<QPair<QString, QString>> names;
    for (QAction *a : t.page.template findChild<QToolBar *>()->actions())
        if (!a->isSeparator() && !qobject_cast<QWidgetAction *>(a))
            names.append({a->text(), a->icon().name()});
    return names;
}

//! Issue 16: the icons come from what the action does, not from its English label.
template <typename Page> void iconsSurviveRewording(SandboxFixture &sb)
{
    const auto english = toolbarIconNames<Page>(sb);
    QVERIFY(english.size() >= 2);
    RewordingTranslator translator;
    QVERIFY(QCoreApplication::installTranslator(&translator));
    const auto reworded = toolbarIconNames<Page>(sb);
    QCoreApplication::removeTranslator(&translator);
    QCOMPARE(reworded.size(), english.size());
    for (int i = 0; i < english.size(); ++i) {
        QVERIFY2(reworded.at(i).first.startsWith(QStringLiteral("Zz ")),
                 qPrintable(reworded.at(i).first)); // the label did change
        QVERIFY2(!english.at(i).second.isEmpty(), qPrintable(english.at(i).first));
        QVERIFY2(reworded.at(i).second == english.at(i).second,
                 qPrintable(
                     QStringLiteral("%1: %2, was %3")
                         .arg(reworded.at(i).first, reworded.at(i).second, english.at(i).second)));
    }
}

} // namespace

class tst_ResourcePagesIcons : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toolbarActions_haveIcons()
    {
        // A failed check returns from the helper only; stop at the first page that fails.
        toolbarIcons<ui::ModelsPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::DatasetsPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::DeploymentsPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::ApiKeysPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::SecretsPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::TrainingJobsPage>();
    }

    //! Issue 16: a reworded or translated label keeps its icon (icons::Action, not the text).
    void toolbarIcons_followTheActionNotItsLabel()
    {
        SandboxFixture sb;
        iconsSurviveRewording<ui::ModelsPage>(sb);
        QVERIFY(!QTest::currentTestFailed());
        iconsSurviveRewording<ui::DatasetsPage>(sb);
        QVERIFY(!QTest::currentTestFailed());
        iconsSurviveRewording<ui::DeploymentsPage>(sb);
        QVERIFY(!QTest::currentTestFailed());
        iconsSurviveRewording<ui::TrainingJobsPage>(sb);
        QVERIFY(!QTest::currentTestFailed());
    }

    //! Issue 16: Copy name, the empty page's button, Load LoRA…/Unload and a dialog's action
    //! button have icons, the same one as their verb in the toolbars.
    void buttonsOutsideToolbars_haveIcons()
    {
        PageFixture<ui::SecretsPage> secrets;
        QTRY_VERIFY_WITH_TIMEOUT(secrets.page.isLoaded(), 20000);
        auto *empty = secrets.page.findChild<QPushButton *>(QStringLiteral("emptyButton"));
        QTRY_VERIFY(empty && empty->isVisible());
        verifyButtonIcon(empty, "document-new");
        QVERIFY(!QTest::currentTestFailed());
        verifyButtonIcon(secrets.page.findChild<QPushButton *>(QStringLiteral("copyName")),
                         "edit-copy");
        QVERIFY(!QTest::currentTestFailed());
        // The empty page's button opens the create dialog, whose Create button has the icon too.
        QVERIFY(click(empty));
        auto *dialog = waitForDialog<QDialog>(&secrets.page);
        QVERIFY(dialog);
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        QVERIFY(buttons);
        verifyButtonIcon(buttons->button(QDialogButtonBox::Ok), "document-new");
        QVERIFY(!QTest::currentTestFailed());
        dialog->reject();

        PageFixture<ui::DeploymentsPage> deployments(secrets.sb);
        verifyButtonIcon(deployments.page.findChild<QPushButton *>(QStringLiteral("loadLora")),
                         "list-add");
        QVERIFY(!QTest::currentTestFailed());
        verifyButtonIcon(deployments.page.findChild<QPushButton *>(QStringLiteral("unloadLora")),
                         "list-remove");
        QVERIFY(!QTest::currentTestFailed());

        // The other dialogs' action buttons and Browse… name these actions; each has its icon
        // in the bundled fallback set too.
        using ui::icons::Action;
        for (const auto &[action, icon] :
             {std::pair{Action::Save, "document-save"}, std::pair{Action::Browse, "folder-open"},
              std::pair{Action::Delete, "edit-delete"},
              std::pair{Action::Scale, "document-properties"},
              std::pair{Action::Playground, "chat-message-new"}}) {
            QCOMPARE(ui::icons::nameForAction(action), QString::fromUtf8(icon));
            QVERIFY2(ui::icons::isBundled(QString::fromUtf8(icon)), icon);
        }
    }
};

QTEST_MAIN(tst_ResourcePagesIcons)
#include "tst_resourcepagesicons.moc"
