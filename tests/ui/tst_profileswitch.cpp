// Switching profiles: the status bar's profile box (add a Fireworks profile there, only a pick
// in its list switches) and the connection state that follows the profile chosen.

#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"
#include "settingsapp.h"

#include <ui/profilecombo.h>

#include <client/loggingtransport.h>

#include <QApplication>
#include <QDialogButtonBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QWheelEvent>

using namespace testing;
using namespace settingstest;

class tst_ProfileSwitch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_profileswitch"));
    }
    void init() { QSettings().clear(); }

    //! The profile box in the status bar is where a person looks for profiles: its last entry
    //! adds a Fireworks profile, which is switched to once saved; Cancel leaves the active one.
    void profileCombo_addsAFireworksProfile_andSwitchesToIt()
    {
        SandboxFixture local(200);
        SandboxFixture remote(200, /*acceptAnyKey=*/false);
        App app(local);
        app.manager.activate(models::ProfileStore::localName());
        QTRY_COMPARE(app.manager.active().name, models::ProfileStore::localName());
        auto *combo = new ui::ProfileCombo(&app.manager, &app.window);
        combo->show();
        QCOMPARE(combo->currentText(), models::ProfileStore::localName());
        const int add = combo->findText(QStringLiteral("Add Fireworks profile…"));
        QVERIFY(add > 0);

        combo->setCurrentIndex(add);
        Q_EMIT combo->activated(add);
        auto *dialog = waitForDialog<ui::ProfileDialog>(&app.window);
        QVERIFY(dialog);
        QCOMPARE(combo->currentText(), models::ProfileStore::localName()); // until saved
        dialog->reject();
        QTRY_VERIFY(!dialog->isVisible());
        QCOMPARE(app.manager.active().name, models::ProfileStore::localName());

        combo->setCurrentIndex(add);
        Q_EMIT combo->activated(add);
        QTRY_VERIFY((dialog = waitForDialog<ui::ProfileDialog>(&app.window)));
        fill(dialog, QStringLiteral("Work"), QStringLiteral("local"),
             models::ProfileManager::localApiKey(), remote.server().baseUrl());
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));
        QTRY_COMPARE(app.manager.active().name, QStringLiteral("Work"));
        QTRY_COMPARE_WITH_TIMEOUT(app.manager.connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
        QCOMPARE(app.api.baseUrl(), remote.server().baseUrl());
        QCOMPARE(combo->currentText(), QStringLiteral("Work"));

        // A very long profile name does not widen the status bar's box.
        const int width = combo->sizeHint().width();
        models::Profile longName;
        longName.name = QString(200, QLatin1Char('p'));
        longName.accountId = QStringLiteral("local");
        QVERIFY(app.store.save(longName));
        QCOMPARE(combo->count(), 5); // Local, Work, the long one, separator, Add…
        QCOMPARE(combo->sizeHint().width(), width);
    }

    //! A 163-character profile name, active: the box shows it elided (its start and its end,
    //! with an ellipsis) within its width, and its tooltip has it whole; the style cut it at
    //! the box's edge mid-letter, and the tooltip did not name it.
    void profileCombo_longName_isElidedInTheBox_wholeInItsTooltip()
    {
        SandboxFixture local(200);
        App app(local);
        models::Profile longName;
        longName.name = QStringLiteral("Team ") + QString(150, QLatin1Char('x')) +
                        QStringLiteral(" staging");
        longName.accountId = QStringLiteral("local");
        longName.baseUrl = local.server().baseUrl();
        QVERIFY(saveWithKey(app, longName.name, longName.accountId, longName.baseUrl));
        auto *combo = new ui::ProfileCombo(&app.manager, &app.window);
        combo->show();
        app.manager.activate(longName.name);
        QTRY_COMPARE(app.manager.active().name, longName.name);
        QCOMPARE(combo->currentText(), longName.name);
        combo->resize(combo->sizeHint()); // as the status bar lays it out
        const QString shown = combo->shownText();
        QVERIFY2(shown.startsWith(QStringLiteral("Team ")) &&
                     shown.endsWith(QStringLiteral(" staging")) &&
                     shown.contains(QChar(0x2026)) &&
                     combo->fontMetrics().horizontalAdvance(shown) < combo->width(),
                 qPrintable(shown));
        QVERIFY2(combo->toolTip().contains(longName.name), qPrintable(combo->toolTip()));
    }

    //! Every switch reloads every page, so only a pick in the open list switches: one wheel
    //! notch over the status bar's box switched the profile and the next opened the Add
    //! dialog; each arrow key press switched too.
    void profileCombo_wheelAndArrowKeys_doNotSwitch_aPickInTheListDoes()
    {
        SandboxFixture local(200);
        App app(local);
        app.manager.activate(models::ProfileStore::localName());
        QTRY_COMPARE(app.manager.active().name, models::ProfileStore::localName());
        models::Profile other;
        other.name = QStringLiteral("Other");
        other.accountId = QStringLiteral("local");
        other.baseUrl = local.server().baseUrl();
        QVERIFY(app.store.save(other));
        auto *combo = new ui::ProfileCombo(&app.manager, &app.window);
        combo->show();
        QVERIFY(QTest::qWaitForWindowExposed(&app.window));
        QSignalSpy switched(&app.manager, &models::ProfileManager::activated);
        const QPointF centre = QRectF(combo->rect()).center();
        for (int notch = 0; notch < 3; ++notch) {
            QWheelEvent wheel(centre, combo->mapToGlobal(centre), QPoint(), QPoint(0, -120),
                              Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(combo, &wheel);
        }
        QCOMPARE(switched.size(), 0);
        QCOMPARE(combo->currentText(), models::ProfileStore::localName());
        for (ui::ProfileDialog *d : app.window.findChildren<ui::ProfileDialog *>())
            QVERIFY(!d->isVisible());

        QApplication::setActiveWindow(&app.window);
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(switched.size(), 0);
        QTRY_VERIFY(combo->view()->isVisible()); // the list to choose from
        QTest::keyClick(combo->view(), Qt::Key_Down);
        QTest::keyClick(combo->view(), Qt::Key_Return);
        QTRY_COMPARE(app.manager.active().name, QStringLiteral("Other"));
        QCOMPARE(switched.size(), 1);
    }

    //! Switched from a profile where nothing answers to one whose key may not use its
    //! account: the first profile's requests, still retrying, failed after the switch and
    //! marked the second unreachable for good (its 403s did not count once it was no longer
    //! connecting). The second profile's own account answer decides.
    void switchFromAnUnreachableProfile_theNextProfilesOwnAnswerDecides()
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
        QVERIFY(saveWithKey(app, QStringLiteral("Down"), QStringLiteral("local"), goneUrl));
        QVERIFY(saveWithKey(app, QStringLiteral("Elsewhere"), QStringLiteral("someone-else"),
                            remote.server().baseUrl()));
        app.manager.activate(QStringLiteral("Down"));
        QTRY_COMPARE_WITH_TIMEOUT(app.manager.connection(),
                                  models::ProfileManager::Connection::Unreachable, 20000);
        QCOMPARE(app.manager.connectionText(), QStringLiteral("server unreachable"));
        app.manager.activate(QStringLiteral("Elsewhere"));
        QTRY_COMPARE_WITH_TIMEOUT(app.manager.connection(),
                                  models::ProfileManager::Connection::Forbidden, 20000);
        // What is wrong in words ("403 forbidden" left a new user to guess what was).
        QCOMPARE(app.manager.connectionText(), QStringLiteral("no access to the account (403)"));
        // …and is so once the first profile's last retries have failed too.
        QTRY_COMPARE_WITH_TIMEOUT(app.api.logging()->requestsInFlight(), 0, 20000);
        QCOMPARE(app.manager.connection(), models::ProfileManager::Connection::Forbidden);
    }

    //! A failure of the user's marks the profile unreachable and the account is asked again
    //! (a late failure of the profile before must not stick); that second look-up is the
    //! app's own: failing too, it is not shown as something the user did.
    void connectionRecheck_isTheAppsOwnLookUp()
    {
        SandboxFixture local(200);
        SandboxFixture flaky(200);
        client::NetworkTransport transport(&local.network());
        client::ApiClient api(App::noProfileYet(), &transport);
        models::ProfileStore store{QHash<QString, QString>{}};
        models::CredentialStore credentials(QStringLiteral("firedeck-tst"));
        credentials.setKeychainEnabled(false);
        models::ProfileManager manager(&api, &transport, &store, &credentials,
                                       App::localPlatform(local));
        models::Profile p;
        p.name = QStringLiteral("Flaky");
        p.accountId = QStringLiteral("local");
        p.baseUrl = flaky.server().baseUrl();
        QVERIFY(store.save(p));
        credentials.write(p.name, models::ProfileManager::localApiKey(), &manager, [](bool) {});
        manager.activate(p.name);
        QTRY_COMPARE_WITH_TIMEOUT(manager.connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
        flaky.stop();
        QSignalSpy failed(api.logging(), &client::LoggingTransport::requestFailed);
        Q_EMIT api.logging()->requestFailed(
            client::ApiError::make(client::ApiError::Kind::Network, QStringLiteral("reset")),
            false); // a request of the user's
        QCOMPARE(manager.connection(), models::ProfileManager::Connection::Unreachable);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 20000); // that one and the account's
        QCOMPARE(failed.at(1).at(1).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(api.logging()->requestsInFlight(), 0, 20000);
        QCOMPARE(manager.connection(), models::ProfileManager::Connection::Unreachable);
    }
};

QTEST_MAIN(tst_ProfileSwitch)
#include "tst_profileswitch.moc"
