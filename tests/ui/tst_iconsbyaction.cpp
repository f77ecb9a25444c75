// Issue 16: every icon follows what its action or button does (an icons::Action), never its
// English label. Each window is built twice, once as written and once with every tr() text
// reworded through a QTranslator ("Zz C&reate"), and must show the same icons both times: a
// guess from the label finds no verb in the reworded text and leaves the button bare.
// Covers the API keys and Secrets toolbars, their dialogs, the Copy buttons of
// CommandEquivalents, the create-dataset dialog (Create, Browse…, Delete dataset) and the
// dataset and fine-tuning wizards' buttons.

#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"

#include <ui/apikeycreateddialog.h>
#include <ui/apikeydialog.h>
#include <ui/apikeyspage.h>
#include <ui/commandequivalents.h>
#include <ui/createdatasetdialog.h>
#include <ui/datasetwizard.h>
#include <ui/finetunewizard.h>
#include <ui/icons.h>
#include <ui/secretdialog.h>
#include <ui/secretspage.h>

#include <client/accounts.h>

#include <QAbstractButton>
#include <QAction>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTest>
#include <QToolBar>
#include <QTranslator>
#include <QWidgetAction>

#include <functional>
#include <memory>

using namespace testing;

namespace {

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

struct Shown
{
    QString label;
    QString icon; //!< the icon's freedesktop name; empty for none
    QString objectName;
};

//! The page's toolbar actions (not the filter box or other embedded widgets), in order.
QList<Shown> toolbarIcons(QWidget *page)
{
    QList<Shown> shown;
    for (QAction *a : page->findChild<QToolBar *>()->actions())
        if (!a->isSeparator() && !qobject_cast<QWidgetAction *>(a))
            shown.append({a->text(), a->icon().name(), a->objectName()});
    return shown;
}

//! Every button below `root`, in creation order (the same for both builds).
QList<Shown> buttonIcons(QWidget *root)
{
    QList<Shown> shown;
    for (QAbstractButton *b : root->findChildren<QAbstractButton *>())
        shown.append({b->text(), b->icon().name(), b->objectName()});
    return shown;
}

//! Builds with `build` (which returns what it shows) as written and reworded; every icon must
//! be the same, and `expected` ({label as written, icon}) must be among the English ones.
void verifySameIcons(const std::function<QList<Shown>()> &build,
                     const QList<QPair<QString, QString>> &expected)
{
    const QList<Shown> english = build();
    RewordingTranslator translator;
    QVERIFY(QCoreApplication::installTranslator(&translator));
    const QList<Shown> reworded = build();
    QCoreApplication::removeTranslator(&translator);

    for (const auto &[label, icon] : expected) {
        const auto it = std::find_if(english.begin(), english.end(),
                                     [&](const Shown &s) { return s.label == label; });
        QVERIFY2(it != english.end(), qPrintable(QStringLiteral("no button \"%1\"").arg(label)));
        QVERIFY2(
            it->icon == icon,
            qPrintable(
                QStringLiteral("%1: icon \"%2\", expected \"%3\"").arg(label, it->icon, icon)));
        QVERIFY2(ui::icons::isBundled(icon), qPrintable(icon));
    }
    QCOMPARE(reworded.size(), english.size());
    int labelled = 0;
    for (int i = 0; i < english.size(); ++i) {
        if (english.at(i).icon.isEmpty())
            continue;
        ++labelled;
        // The label did change (tr() went through the translator) and the icon did not.
        QVERIFY2(reworded.at(i).label.startsWith(QStringLiteral("Zz ")),
                 qPrintable(reworded.at(i).label));
        QVERIFY2(
            reworded.at(i).icon == english.at(i).icon,
            qPrintable(QStringLiteral("\"%1\": icon \"%2\", as written \"%3\"")
                           .arg(reworded.at(i).label, reworded.at(i).icon, english.at(i).icon)));
    }
    QVERIFY(labelled >= expected.size());
}

QString text(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

} // namespace

class tst_IconsByAction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void apiKeysAndSecretsToolbars()
    {
        SandboxFixture sb;
        verifySameIcons(
            [&] {
                ui::ApiKeysPage page(&sb.api());
                return toolbarIcons(&page);
            },
            {{text("&New API key…"), QStringLiteral("document-new")},
             {text("&Delete…"), QStringLiteral("edit-delete")},
             {text("Refresh"), QStringLiteral("view-refresh")}});
        QVERIFY(!QTest::currentTestFailed());
        verifySameIcons(
            [&] {
                ui::SecretsPage page(&sb.api());
                return toolbarIcons(&page);
            },
            {{text("&New secret…"), QStringLiteral("document-new")},
             {text("&Edit…"), QStringLiteral("document-edit")},
             {text("&Delete…"), QStringLiteral("edit-delete")}});
    }

    void apiKeyAndSecretDialogs()
    {
        SandboxFixture sb;
        verifySameIcons(
            [&] {
                ui::ApiKeyDialog dialog(&sb.api(), QStringLiteral("local-user"));
                return buttonIcons(&dialog);
            },
            {{text("C&reate"), QStringLiteral("document-new")},
             {text("Copy &firectl command"), QStringLiteral("edit-copy")},
             {text("Copy curl re&quest"), QStringLiteral("edit-copy")}});
        QVERIFY(!QTest::currentTestFailed());
        verifySameIcons(
            [] {
                client::ApiKey key;
                key.keyId = QStringLiteral("k1");
                key.key = QStringLiteral("fw_secret_value");
                ui::ApiKeyCreatedDialog dialog(key);
                return buttonIcons(&dialog);
            },
            {{text("&Copy"), QStringLiteral("edit-copy")}});
        QVERIFY(!QTest::currentTestFailed());
        verifySameIcons(
            [&] {
                ui::SecretDialog dialog(&sb.api(), std::nullopt);
                return buttonIcons(&dialog);
            },
            {{text("C&reate"), QStringLiteral("document-new")},
             {text("Copy &firectl command"), QStringLiteral("edit-copy")}});
        QVERIFY(!QTest::currentTestFailed());
        verifySameIcons(
            [&] {
                client::Secret existing;
                existing.name = QStringLiteral("accounts/local/secrets/openai");
                existing.keyName = QStringLiteral("OPENAI_API_KEY");
                ui::SecretDialog dialog(&sb.api(), existing);
                return buttonIcons(&dialog);
            },
            {{text("&Save"), QStringLiteral("document-save")}});
    }

    void createDatasetDialogAndCommandEquivalents()
    {
        SandboxFixture sb;
        verifySameIcons(
            [&] {
                ui::CreateDatasetDialog dialog(&sb.api());
                return buttonIcons(&dialog);
            },
            {{text("C&reate"), QStringLiteral("document-new")},
             {text("&Browse…"), QStringLiteral("folder-open")},
             {text("&Delete dataset"), QStringLiteral("edit-delete")},
             {text("Copy &firectl command"), QStringLiteral("edit-copy")}});
        QVERIFY(!QTest::currentTestFailed());
        verifySameIcons(
            [] {
                ui::CommandEquivalents commands([] { return QString(); }, [] { return QString(); });
                return buttonIcons(&commands);
            },
            {{text("Copy &firectl command"), QStringLiteral("edit-copy")},
             {text("Copy curl re&quest"), QStringLiteral("edit-copy")}});
    }

    void wizards()
    {
        SandboxFixture sb;
        verifySameIcons(
            [&] {
                ui::DatasetWizard wizard(&sb.api());
                return buttonIcons(&wizard);
            },
            {{text("&Browse…"), QStringLiteral("folder-open")},
             {text("Check a&gain"), QStringLiteral("view-refresh")},
             {text("&Cancel check"), QStringLiteral("process-stop")},
             {text("&Write files"), QStringLiteral("document-save")},
             {text("&Upload"), QStringLiteral("document-send")},
             {text("&Cancel upload"), QStringLiteral("process-stop")}});
        QVERIFY(!QTest::currentTestFailed());
        verifySameIcons(
            [&] {
                ui::FineTuneWizard wizard(&sb.api());
                return buttonIcons(&wizard);
            },
            {{text("Bro&wse…"), QStringLiteral("folder-open")},
             {text("Copy &firectl command"), QStringLiteral("edit-copy")}});
    }
};

QTEST_MAIN(tst_IconsByAction)
#include "tst_iconsbyaction.moc"
