// Settings and profile switching against two sandboxes: a "Local" one and a strict one that
// stands in for a Fireworks account (only its bootstrap key and keys it created work). A
// wrong key shows the 401 banner everywhere without crashing; switching to a working profile
// reloads every page; Test connection reports 401 and success, and finds the account of a key;
// keys never reach QSettings.

#include "common/sandboxfixture.h"
#include "common/seeds.h"
#include "common/uitesthelpers.h"
#include "settingsapp.h"

#include <models/accountsnapshot.h>
#include <models/apikeylistmodel.h>
#include <models/credentialstore.h>
#include <models/datasetlistmodel.h>
#include <models/deploymentlistmodel.h>
#include <models/localserver.h>
#include <models/modellistmodel.h>
#include <models/profilemanager.h>
#include <models/profilestore.h>
#include <models/secretlistmodel.h>
#include <ui/apikeyspage.h>
#include <ui/datasetspage.h>
#include <ui/deploymentspage.h>
#include <ui/icons.h>
#include <ui/mainwindow.h>
#include <ui/modelspage.h>
#include <ui/overviewpage.h>
#include <ui/profilecombo.h>
#include <ui/profiledialog.h>
#include <ui/settingspage.h>
#include <ui/theme.h>
#include <widgets/errorbanner.h>

#include <client/loggingtransport.h>
#include <client/models.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyleOptionButton>
#include <QTreeWidget>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

using namespace testing;
using namespace settingstest;

namespace {

QByteArray settingsFileBytes()
{
    QSettings settings;
    settings.sync();
    QFile f(settings.fileName());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

//! WCAG's contrast ratio of two colours (1 to 21).
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
               0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

//! The highest contrast against `background` of any pixel of `image` inside `rect`.
double inkContrast(const QImage &image, const QRect &rect, const QColor &background)
{
    double best = 1.0;
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x)
            if (image.rect().contains(x, y))
                best = std::max(best, contrast(image.pixelColor(x, y), background));
    return best;
}

//! A widget on its own in a window of the palette's colour, grabbed at scale 1.
QImage grabAlone(QWidget *widget)
{
    widget->adjustSize();
    widget->show();
    (void)QTest::qWaitForWindowExposed(widget);
    return widget->grab().toImage();
}

} // namespace

class tst_SettingsPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settingspage"));
    }
    void init() { QSettings().clear(); }
    void cleanup() { ui::applyTheme(ui::Theme::Light); }

    //! Issue 16 walk: links in the dark theme read at 4.5:1 or more on the window and the
    //! base, visited ones too (the palette left LinkVisited to the light default), also after
    //! a switch while the app runs; an unchecked check box or radio button has an outline
    //! (Fusion drew it in the window colour made darker: 1.2:1).
    void darkTheme_linksAndOutlinesAreReadable()
    {
        ui::applyTheme(ui::Theme::Light);
        QLabel link(QStringLiteral("<a href=\"x\">A link to somewhere</a>"));
        QFont big = link.font();
        big.setPointSize(big.pointSize() * 2); // whole pixels of the link colour to measure
        link.setFont(big);
        grabAlone(&link);
        ui::applyTheme(ui::Theme::Dark); // switched at run time, as Settings does
        const QPalette dark = QApplication::palette();
        for (QPalette::ColorRole role : {QPalette::Link, QPalette::LinkVisited})
            for (QPalette::ColorRole ground : {QPalette::Window, QPalette::Base})
                QVERIFY2(contrast(dark.color(role), dark.color(ground)) >= 4.5,
                         qPrintable(QStringLiteral("%1 on %2")
                                        .arg(dark.color(role).name(), dark.color(ground).name())));
        const QImage linkImage = link.grab().toImage();
        const QColor window = dark.color(QPalette::Window);
        QVERIFY2(inkContrast(linkImage, linkImage.rect(), window) >= 4.5,
                 qPrintable(QString::number(inkContrast(linkImage, linkImage.rect(), window))));

        QCheckBox box(QStringLiteral("Allow"));
        QImage image = grabAlone(&box);
        QStyleOptionButton option;
        option.initFrom(&box);
        QRect indicator = box.style()->subElementRect(QStyle::SE_CheckBoxIndicator, &option, &box);
        // The outline only: the inside is the base colour, as dark as the window.
        QVERIFY2(inkContrast(image, indicator, window) >= 3.0,
                 qPrintable(QString::number(inkContrast(image, indicator, window))));
        QRadioButton radio(QStringLiteral("Choose"));
        image = grabAlone(&radio);
        option.initFrom(&radio);
        indicator = radio.style()->subElementRect(QStyle::SE_RadioButtonIndicator, &option, &radio);
        QVERIFY2(inkContrast(image, indicator, window) >= 3.0,
                 qPrintable(QString::number(inkContrast(image, indicator, window))));
    }

    //! Issue 16 walk: the Theme box and the Port field stretched over the whole window. Now
    //! a desktop settings form: fields as wide as what they hold, labels right-aligned in one
    //! column for both boxes.
    void settingsForm_fieldsKeepTheirSize_labelsAligned()
    {
        SandboxFixture local(1.0);
        App app(local);
        QVERIFY(app.showSettingsPage());
        auto *theme = child<QComboBox>(app.settings, "themeCombo");
        auto *port = child<QSpinBox>(app.settings, "serverPort");
        auto *key = child<QLineEdit>(app.settings, "serverApiKey");
        QVERIFY(theme && port && key);
        QTRY_VERIFY(theme->isVisible());
        const int em = theme->fontMetrics().horizontalAdvance(QLatin1Char('M'));
        QVERIFY2(theme->width() < 16 * em, qPrintable(QString::number(theme->width())));
        QVERIFY2(port->width() < 10 * em, qPrintable(QString::number(port->width())));
        QVERIFY2(key->width() < app.settings->width() / 2,
                 qPrintable(QString::number(key->width())));
        // The placeholder is read whole.
        QVERIFY(key->width() > key->fontMetrics().horizontalAdvance(key->placeholderText()));
        // One label column: the fields of both boxes start at the same x.
        const int themeX = theme->mapTo(app.settings, QPoint(0, 0)).x();
        QCOMPARE(port->mapTo(app.settings, QPoint(0, 0)).x(), themeX);
        QCOMPARE(key->mapTo(app.settings, QPoint(0, 0)).x(), themeX);
        // Each label's text ends right beside its field.
        for (QWidget *field : std::initializer_list<QWidget *>{theme, port, key}) {
            auto *form = qobject_cast<QFormLayout *>(field->parentWidget()->layout());
            QVERIFY(form);
            auto *label = qobject_cast<QLabel *>(form->labelForField(field));
            QVERIFY(label);
            QVERIFY2(label->alignment() & Qt::AlignRight, qPrintable(label->text()));
            QVERIFY(field->x() - label->geometry().right() < em);
        }
    }

    //! Allowing other devices: the warning read in three short lines under the long check
    //! box, and the key's placeholder still said only this computer's programs may call it.
    void allowNetwork_warnsInFullLines_andTheKeySaysWhoMayCall()
    {
        SandboxFixture local(1.0);
        App app(local);
        QVERIFY(app.showSettingsPage());
        auto *network = child<QCheckBox>(app.settings, "serverAllowNetwork");
        auto *key = child<QLineEdit>(app.settings, "serverApiKey");
        QVERIFY(network && key);
        QTRY_VERIFY(network->isVisible());
        if (network->isChecked())
            QVERIFY(testing::click(network));
        QVERIFY(key->placeholderText().contains(QStringLiteral("any program on this computer")));
        QVERIFY(testing::click(network));
        QLabel *warning = nullptr;
        for (QLabel *l : app.settings->findChildren<QLabel *>())
            if (l->text().startsWith(QStringLiteral("Anyone who can reach")))
                warning = l;
        QVERIFY(warning);
        QTRY_VERIFY(warning->isVisible());
        QVERIFY2(warning->width() >= network->width(),
                 qPrintable(QStringLiteral("%1 < %2").arg(warning->width()).arg(network->width())));
        QVERIFY2(warning->height() <= 2 * warning->fontMetrics().lineSpacing() + 4,
                 qPrintable(QString::number(warning->height())));
        QVERIFY2(key->placeholderText().contains(QStringLiteral("any device")),
                 qPrintable(key->placeholderText()));
        QVERIFY(key->width() > key->fontMetrics().horizontalAdvance(key->placeholderText()));
        QVERIFY(testing::click(network)); // back to loopback only
        QVERIFY(!warning->isVisible());
        QVERIFY(key->placeholderText().contains(QStringLiteral("any program on this computer")));
    }

    //! The local server compares a browser's origin whole, and a browser sends none with a
    //! trailing slash: "http://localhost:5173/" or "a, b" never matched and the web page was
    //! refused without a word. Commas separate as spaces do, the slash goes, and the field
    //! shows what was kept.
    void serverOrigins_commasAndTrailingSlashes_areTakenAsABrowserSendsThem()
    {
        SandboxFixture local(200);
        App app(local);
        QVERIFY(app.showSettingsPage());
        auto *origins = child<QLineEdit>(app.settings, "serverOrigins");
        QVERIFY(origins);
        QTRY_VERIFY(origins->isVisible());
        QApplication::setActiveWindow(&app.window);
        origins->setFocus();
        origins->selectAll();
        QTest::keyClicks(origins, QStringLiteral("http://localhost:5173/, http://127.0.0.1:3000,"));
        QTest::keyClick(origins, Qt::Key_Return);
        const QStringList expected{QStringLiteral("http://localhost:5173"),
                                   QStringLiteral("http://127.0.0.1:3000")};
        QCOMPARE(models::LocalServerSettings::load().allowedOrigins, expected);
        QCOMPARE(origins->text(), expected.join(QLatin1Char(' ')));
    }

    void wrongKey_showsUnauthorizedEverywhere_thenWorkingKeyReloadsEveryPage()
    {
        SandboxFixture local(200);
        SandboxFixture remote(200, /*acceptAnyKey=*/false);
        // What only the "remote" account has, so each page shows it came from there.
        FD_VERIFY_OK(await(
            remote.api().deployments().create(QStringLiteral("remote-dep"), smallDeployment())));
        FD_VERIFY_OK(await(remote.api().secrets().create(
            QStringLiteral("remote-secret"), QStringLiteral("REMOTE"), QStringLiteral("v"))));
        client::Model m;
        m.kind = client::ModelKind::HfBaseModel;
        m.baseModelDetails = client::BaseModelDetails{};
        m.baseModelDetails->modelType = QStringLiteral("llama");
        m.baseModelDetails->checkpointFormat = QStringLiteral("HUGGINGFACE");
        FD_VERIFY_OK(await(remote.api().models().create(QStringLiteral("remote-model"), m)));

        App app(local);
        app.manager.activate(models::ProfileStore::localName());
        QTRY_VERIFY_WITH_TIMEOUT(app.deployments->isLoaded(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(app.manager.connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
        QCOMPARE(app.deployments->model()->rowCount(), 0);

        // Add the remote profile through the dialog with a wrong key.
        app.window.showPage(QStringLiteral("settings"));
        QVERIFY(testing::click(child<QPushButton>(app.settings, "addProfile")));
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        QVERIFY(!child<QLabel>(dialog, "keyStorage")->text().isEmpty());
        QCOMPARE(child<QLineEdit>(dialog, "apiKey")->echoMode(), QLineEdit::Password);
        child<QCheckBox>(dialog, "showApiKey")->setChecked(true);
        QCOMPARE(child<QLineEdit>(dialog, "apiKey")->echoMode(), QLineEdit::Normal);
        fill(dialog, QStringLiteral("Remote"), QStringLiteral("local"), kWrongKey,
             remote.server().baseUrl());
        const QString refused = testConnection(dialog);
        QVERIFY2(refused.contains(QStringLiteral("401")), qPrintable(refused));
        // Advice for this dialog, whose key field is right there (not "…in Settings").
        QVERIFY2(refused.contains(QStringLiteral("pasted whole")) &&
                     !refused.contains(QStringLiteral("Settings")),
                 qPrintable(refused));
        QTRY_VERIFY(child<QLabel>(dialog, "keyStorage")
                        ->text()
                        .contains(QStringLiteral("this session only")));
        QPointer<ui::ProfileDialog> guard(dialog);
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));
        QTRY_VERIFY(guard.isNull());
        QVERIFY(app.store.find(QStringLiteral("Remote")));

        // Use it: every page fails with the 401 wording, and nothing crashes.
        app.settings->selectProfile(QStringLiteral("Remote"));
        QCOMPARE(app.settings->selectedProfile(), QStringLiteral("Remote"));
        QVERIFY(testing::click(child<QPushButton>(app.settings, "useProfile")));
        QTRY_COMPARE_WITH_TIMEOUT(app.manager.connection(),
                                  models::ProfileManager::Connection::Unauthorized, 20000);
        QCOMPARE(app.api.baseUrl(), remote.server().baseUrl());
        for (ui::ResourcePage *page : std::initializer_list<ui::ResourcePage *>{
                 app.modelsPage, app.datasets, app.deployments, app.apiKeys}) {
            QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), 20000);
            QTRY_VERIFY2_WITH_TIMEOUT(page->errorBanner()->isVisibleTo(page),
                                      qPrintable(page->pageId()), 5000);
            QVERIFY2(
                page->errorBanner()->message().contains(QStringLiteral("401")),
                qPrintable(page->pageId() + QStringLiteral(": ") + page->errorBanner()->message()));
        }
        QTRY_VERIFY_WITH_TIMEOUT(app.overview->isLoaded(), 20000);
        QVERIFY(!app.snapshot.errors().isEmpty());
        QVERIFY(child<QLabel>(app.settings, "activeProfileStatus")
                    ->text()
                    .contains(QStringLiteral("401")));
        // …and says how to fix it here.
        QVERIFY2(child<QLabel>(app.settings, "activeProfileStatus")
                     ->text()
                     .contains(QStringLiteral("press Edit… to give it a working API key")),
                 qPrintable(child<QLabel>(app.settings, "activeProfileStatus")->text()));

        // Fix the key through Edit…: Test connection succeeds, and saving re-applies the active
        // profile, which reloads every page from the remote account.
        QVERIFY(testing::click(child<QPushButton>(app.settings, "editProfile")));
        dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        QVERIFY(child<QLineEdit>(dialog, "apiKey")->text().isEmpty()); // never read back
        const QString stillRefused = testConnection(dialog); // empty field: the stored key
        QVERIFY2(stillRefused.contains(QStringLiteral("401")), qPrintable(stillRefused));
        child<QLineEdit>(dialog, "apiKey")->setText(models::ProfileManager::localApiKey());
        const QString success = testConnection(dialog);
        QVERIFY2(success.startsWith(QStringLiteral("Success")), qPrintable(success));
        QCOMPARE(app.manager.connection(), models::ProfileManager::Connection::Unauthorized);
        // The verdict is for the key tested: typing in the field drops it.
        auto *keyField = child<QLineEdit>(dialog, "apiKey");
        keyField->setFocus();
        QTest::keyClick(keyField, Qt::Key_End);
        QTest::keyClicks(keyField, QStringLiteral("x"));
        QVERIFY2(child<QLabel>(dialog, "testResult")->text().isEmpty(),
                 qPrintable(child<QLabel>(dialog, "testResult")->text()));
        QTest::keyClick(keyField, Qt::Key_Backspace);

        QSignalSpy deploymentsLoaded(app.deployments, &ui::Page::loaded);
        QSignalSpy modelsLoaded(app.modelsPage, &ui::Page::loaded);
        QSignalSpy datasetsLoaded(app.datasets, &ui::Page::loaded);
        QSignalSpy keysLoaded(app.apiKeys, &ui::Page::loaded);
        QSignalSpy overviewLoaded(app.overview, &ui::Page::loaded);
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));
        QTRY_COMPARE_WITH_TIMEOUT(app.manager.connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(deploymentsLoaded.size() >= 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(modelsLoaded.size() >= 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(datasetsLoaded.size() >= 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(keysLoaded.size() >= 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(overviewLoaded.size() >= 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(app.deployments->model()->rowCount(), 1, 20000);
        QVERIFY(app.deployments->model()->nameAt(0).endsWith(QStringLiteral("/remote-dep")));
        QVERIFY(!app.deployments->errorBanner()->isVisibleTo(app.deployments));
        QTRY_VERIFY(app.modelsPage->model()->rowOfName(
                        QStringLiteral("accounts/local/models/remote-model")) >= 0);
        QVERIFY(!app.datasets->errorBanner()->isVisibleTo(app.datasets));
        QVERIFY(!app.apiKeys->errorBanner()->isVisibleTo(app.apiKeys));
        QVERIFY(app.apiKeys->userSelector()->count() >= 1);
        QTRY_VERIFY(app.snapshot.errors().isEmpty());

        // Back to Local through the status bar's combo: the remote deployment disappears.
        ui::ProfileCombo combo(&app.manager);
        QCOMPARE(combo.currentText(), QStringLiteral("Remote"));
        const int localIndex = combo.findData(models::ProfileStore::localName());
        combo.setCurrentIndex(localIndex);
        Q_EMIT combo.activated(localIndex);
        QTRY_COMPARE(app.api.baseUrl(), local.server().baseUrl());
        QTRY_VERIFY_WITH_TIMEOUT(app.deployments->isLoaded(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(app.deployments->model()->rowCount(), 0, 20000);
        QCOMPARE(app.store.lastUsed(), models::ProfileStore::localName());

        // No key, wrong or right, was written to the settings file.
        const QByteArray file = settingsFileBytes();
        QVERIFY(file.contains("Remote"));
        QVERIFY(!file.contains(kWrongKey.toUtf8()));
        QVERIFY(!file.contains(models::ProfileManager::localApiKey().toUtf8()));
    }

    void removeActiveProfile_fallsBackToLocal()
    {
        SandboxFixture local(200);
        App app(local);
        models::Profile p;
        p.name = QStringLiteral("Gone");
        p.accountId = QStringLiteral("local");
        p.baseUrl = local.server().baseUrl();
        QVERIFY(app.store.save(p));
        app.manager.activate(QStringLiteral("Gone"));
        QTRY_COMPARE(app.manager.active().name, QStringLiteral("Gone"));
        app.settings->selectProfile(QStringLiteral("Gone"));
        app.settings->deleteSelected();
        auto *box = waitForDialog<QMessageBox>(app.settings);
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("confirmation")); // the one style
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        // No keychain here (turned off): the question does not claim one is cleaned.
        QVERIFY2(!box->informativeText().contains(QStringLiteral("keychain")),
                 qPrintable(box->informativeText()));
        QVERIFY(click(box->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
        QTRY_COMPARE(app.manager.active().name, models::ProfileStore::localName());
        QVERIFY(!app.store.find(QStringLiteral("Gone")));
    }

    //! The active profile's status said only "unreachable — Connection refused" or "403
    //! forbidden": it names the address or the account at fault, and how to fix it here.
    void activeProfileStatus_unreachableOrForbidden_saysWhereAndHowToFix()
    {
        SandboxFixture local(200);
        SandboxFixture gone(200);
        const QUrl goneUrl = gone.server().baseUrl();
        gone.stop();
        sandbox::SandboxOptions options;
        options.accountId = QStringLiteral("acme-corp");
        options.acceptAnyKey = false;
        SandboxFixture remote(options);
        App app(local);
        auto *status = child<QLabel>(app.settings, "activeProfileStatus");
        QVERIFY(saveWithKey(app, QStringLiteral("Down"), QStringLiteral("local"), goneUrl));
        app.manager.activate(QStringLiteral("Down"));
        QTRY_COMPARE_WITH_TIMEOUT(app.manager.connection(),
                                  models::ProfileManager::Connection::Unreachable, 20000);
        QTRY_VERIFY2(status->text().contains(
                         QStringLiteral("Nothing answered at %1").arg(goneUrl.toString())) &&
                         status->text().contains(QStringLiteral("press Edit… to correct its base")),
                     qPrintable(status->text()));

        QVERIFY(saveWithKey(app, QStringLiteral("Elsewhere"), QStringLiteral("someone-else"),
                            remote.server().baseUrl()));
        app.manager.activate(QStringLiteral("Elsewhere"));
        QTRY_COMPARE_WITH_TIMEOUT(app.api.logging()->requestsInFlight(), 0, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(app.manager.connection(),
                                  models::ProfileManager::Connection::Forbidden, 20000);
        QTRY_VERIFY2(
            status->text().contains(QStringLiteral("may not use the account someone-else")) &&
                status->text().contains(QStringLiteral("press Edit… and Test connection")) &&
                !status->text().contains(QStringLiteral("Nothing answered")),
            qPrintable(status->text()));
    }

    //! A profile named with a hundred characters took the list's whole width: Kind, Account,
    //! Base URL and API key were out of sight behind a sideways scroll bar. The name is cut in
    //! the list and whole in its tooltip.
    void profileList_longName_leavesTheOtherColumnsInSight()
    {
        SandboxFixture local(200);
        App app(local);
        models::Profile p;
        p.name = QStringLiteral("Production account of the research team ").repeated(4).trimmed();
        p.accountId = QStringLiteral("local");
        p.baseUrl = local.server().baseUrl();
        QVERIFY(app.store.save(p));
        app.manager.activate(p.name);
        QTRY_COMPARE(app.manager.active().name, p.name);
        QVERIFY(app.showSettingsPage());
        QTreeWidget *list = app.settings->profileList();
        QTRY_VERIFY(list->isVisible());
        const int keyColumn = list->columnCount() - 1;
        QCOMPARE(list->headerItem()->text(keyColumn), QStringLiteral("API key"));
        const int keyStarts = list->header()->sectionViewportPosition(keyColumn);
        QVERIFY2(
            keyStarts >= 0 && keyStarts + list->fontMetrics().horizontalAdvance(
                                              QStringLiteral("this session only")) <
                                  list->viewport()->width(),
            qPrintable(QStringLiteral("%1 of %2").arg(keyStarts).arg(list->viewport()->width())));
        QVERIFY(!list->horizontalScrollBar()->isVisible());
        bool whole = false;
        for (int i = 0; i < list->topLevelItemCount(); ++i)
            whole = whole || list->topLevelItem(i)->toolTip(0).contains(p.name);
        QVERIFY(whole);
    }

    //! Without a keychain the API key column read "this session only (no keychain: Object
    //! does not exist at path /org/freedesktop/secrets/coll…", the keychain's own words cut
    //! at the list's edge: the column says where the key is, its tooltip why.
    void profileList_keyKeptForThisSession_reasonInTheTooltip()
    {
        SandboxFixture local(200);
        App app(local);
        models::Profile p;
        p.name = QStringLiteral("Work");
        p.accountId = QStringLiteral("local");
        p.baseUrl = local.server().baseUrl();
        QVERIFY(app.store.save(p));
        QCOMPARE(app.credentials.backend(), models::CredentialStore::Backend::SessionOnly);
        const QString reason = app.credentials.unavailableReason();
        QVERIFY(!reason.isEmpty());
        QVERIFY(app.showSettingsPage());
        QTreeWidget *list = app.settings->profileList();
        const int keyColumn = list->columnCount() - 1;
        QTreeWidgetItem *work = nullptr;
        for (int i = 0; i < list->topLevelItemCount(); ++i)
            if (list->topLevelItem(i)->data(0, Qt::UserRole).toString() == p.name)
                work = list->topLevelItem(i);
        QVERIFY(work);
        QCOMPARE(work->text(keyColumn), QStringLiteral("this session only (no keychain)"));
        QVERIFY2(work->toolTip(keyColumn).contains(reason) &&
                     work->toolTip(keyColumn).contains(QStringLiteral("after a restart")),
                 qPrintable(work->toolTip(keyColumn)));
    }

    //! The Local row's base URL said "in-process sandbox on 127.0.0.1": the address curl or
    //! an SDK needs (FIREWORKS_BASE_URL) is shown with its port while the sandbox runs.
    void profileList_localRow_namesTheSandboxAddress()
    {
        SandboxFixture local(200);
        App app(local);
        app.manager.activate(models::ProfileStore::localName());
        QTRY_COMPARE(app.manager.active().name, models::ProfileStore::localName());
        QVERIFY(app.showSettingsPage());
        QTreeWidget *list = app.settings->profileList();
        QCOMPARE(list->headerItem()->text(3), QStringLiteral("Base URL"));
        QTreeWidgetItem *row = nullptr;
        for (int i = 0; i < list->topLevelItemCount(); ++i)
            if (list->topLevelItem(i)->data(0, Qt::UserRole).toString() ==
                models::ProfileStore::localName())
                row = list->topLevelItem(i);
        QVERIFY(row);
        QVERIFY2(
            row->text(3).startsWith(local.server().baseUrl().toString()),
            qPrintable(row->text(3) + QStringLiteral(" / ") + local.server().baseUrl().toString()));
    }

    //! A keyboard user picks a profile in the list and presses Enter, as a double-click does.
    void profileList_enterUsesTheProfile()
    {
        SandboxFixture local(200);
        App app(local);
        app.manager.activate(models::ProfileStore::localName());
        QTRY_COMPARE(app.manager.active().name, models::ProfileStore::localName());
        models::Profile p;
        p.name = QStringLiteral("Other");
        p.accountId = QStringLiteral("local");
        p.baseUrl = local.server().baseUrl();
        QVERIFY(app.store.save(p));
        QVERIFY(app.showSettingsPage());
        QCOMPARE(app.settings->selectedProfile(), models::ProfileStore::localName());
        QTreeWidget *list = app.settings->profileList();
        int row = -1;
        for (int i = 0; i < list->topLevelItemCount(); ++i)
            if (list->topLevelItem(i)->data(0, Qt::UserRole).toString() == p.name)
                row = i;
        QVERIFY(clickRow(list, row));
        QCOMPARE(app.settings->selectedProfile(), p.name);
        QTest::keyClick(list, Qt::Key_Return);
        QTRY_COMPARE(app.manager.active().name, p.name);

        // Switched elsewhere (the status bar, --profile): the list picks the active profile,
        // so Enter or Edit… act on the one in use.
        app.manager.activate(models::ProfileStore::localName());
        QTRY_COMPARE(app.settings->selectedProfile(), models::ProfileStore::localName());
        app.manager.activate(p.name);
        QTRY_COMPARE(app.settings->selectedProfile(), p.name);
    }
};

QTEST_MAIN(tst_SettingsPage)
#include "tst_settingspage.moc"
