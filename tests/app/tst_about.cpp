// Help → About and the icons of the window (label app): the dialog opens from the Help menu's
// action, shows the versions of Firedeck, Qt, the engine and the sandbox, copies them; every
// sidebar entry and File/Edit/Help action has an icon that draws something in the light and
// in the dark theme, in the palette's text colour.

#include "common/uitesthelpers.h"

#include <ui/aboutdialog.h>
#include <ui/icons.h>
#include <ui/mainwindow.h>
#include <ui/page.h>
#include <ui/theme.h>

#include <QClipboard>
#include <QGuiApplication>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <firedeck/version.h>

namespace {

//! A page with nothing on it but its id: the sidebar's icon depends only on that.
class BarePage : public ui::Page
{
public:
    BarePage(const QString &id, const QString &title) : m_id(id) { setWindowTitle(title); }
    QString pageId() const override { return m_id; }
    QString title() const override { return windowTitle(); }
    void reload() override {}

private:
    QString m_id;
};

//! How many pixels of `image` are opaque, and their average colour.
struct Ink
{
    int pixels = 0;
    QColor average;
};

Ink inkOf(const QImage &source)
{
    const QImage image = source.convertToFormat(QImage::Format_ARGB32);
    qint64 r = 0, g = 0, b = 0;
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() < 200)
                continue;
            r += c.red();
            g += c.green();
            b += c.blue();
            ++n;
        }
    Ink ink;
    ink.pixels = n;
    if (n > 0)
        ink.average = QColor(int(r / n), int(g / n), int(b / n));
    return ink;
}

} // namespace

class AboutTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("Firedeck"));
        QCoreApplication::setApplicationName(QStringLiteral("firedeck"));
    }

    void cleanup() { ui::applyTheme(ui::Theme::Light); }

    void helpMenuOpensAboutWithVersions()
    {
        ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *about = window.findChild<QAction *>(QStringLiteral("aboutAction"));
        QVERIFY(about);
        QVERIFY(!about->icon().isNull());
        about->trigger();
        auto *dialog = testing::waitForDialog<ui::AboutDialog>(&window);
        QVERIFY(dialog);
        QCOMPARE(dialog->windowModality(), Qt::WindowModal); // open(), no nested event loop

        QStringList shown;
        for (QLabel *l : dialog->findChildren<QLabel *>())
            shown << l->text();
        const QString all = shown.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("Firedeck %1").arg(QStringLiteral(FIREDECK_VERSION))),
                 qPrintable(all));
        QVERIFY2(all.contains(QString::fromLatin1(qVersion())), qPrintable(all));
        for (const char *component : {"Qt:", "Inference engine:", "Local sandbox:"})
            QVERIFY2(shown.contains(QLatin1String(component)), component);
        QVERIFY(all.contains(QStringLiteral("Adwaita")));

        // The icon label shows the brand mark, not an empty pixmap.
        bool iconShown = false;
        for (QLabel *l : dialog->findChildren<QLabel *>())
            if (!l->pixmap().isNull())
                iconShown = inkOf(l->pixmap().toImage()).pixels > 500;
        QVERIFY(iconShown);

        auto *copy = dialog->findChild<QPushButton *>(QStringLiteral("copyVersions"));
        QVERIFY(copy);
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(copy, Qt::LeftButton);
        const QString copied = QGuiApplication::clipboard()->text();
        QVERIFY2(copied.contains(QStringLiteral("Qt: %1").arg(QString::fromLatin1(qVersion()))),
                 qPrintable(copied));
        QCOMPARE(copied, ui::AboutDialog::versionText());

        QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Close));
        QTRY_VERIFY(window.findChildren<ui::AboutDialog *>().isEmpty()); // deleted on close
    }

    void sidebarAndActionsHaveIconsInBothThemes_data()
    {
        QTest::addColumn<int>("theme");
        QTest::newRow("light") << int(ui::Theme::Light);
        QTest::newRow("dark") << int(ui::Theme::Dark);
    }

    void sidebarAndActionsHaveIconsInBothThemes()
    {
        QFETCH(int, theme);
        ui::applyTheme(ui::Theme(theme));
        ui::MainWindow window;
        const QStringList ids = {QStringLiteral("overview"), QStringLiteral("models"),
                                 QStringLiteral("datasets"), QStringLiteral("deployments"),
                                 QStringLiteral("apikeys"),  QStringLiteral("secrets"),
                                 QStringLiteral("settings")};
        for (const QString &id : ids)
            window.addPage(new BarePage(id, id));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        const QColor text = QApplication::palette().color(QPalette::WindowText);
        auto *sidebar = window.findChild<QListWidget *>(QStringLiteral("sidebar"));
        QVERIFY(sidebar);
        QCOMPARE(sidebar->count(), ids.size());
        QSet<QString> names;
        for (int i = 0; i < sidebar->count(); ++i) {
            const QString name = ui::icons::nameForPage(ids.at(i));
            QVERIFY2(ui::icons::isBundled(name), qPrintable(name));
            names.insert(name);
            const QImage image =
                sidebar->item(i)->icon().pixmap(QSize(32, 32), QIcon::Normal).toImage();
            const Ink ink = inkOf(image);
            QVERIFY2(ink.pixels > 20, qPrintable(ids.at(i)));
            // Drawn in the palette's text colour: dark on light, light on dark.
            QVERIFY2(qAbs(ink.average.lightness() - text.lightness()) < 40,
                     qPrintable(QStringLiteral("%1: ink %2, text %3")
                                    .arg(ids.at(i), ink.average.name(), text.name())));
        }
        QCOMPARE(names.size(), ids.size()); // one distinct icon per page

        for (QAction *top : window.menuBar()->actions()) {
            QMenu *menu = top->menu();
            QVERIFY(menu);
            if (menu->objectName() == QLatin1String("goMenu"))
                continue; // the Go menu's entries are the sidebar's pages
            for (QAction *a : menu->actions())
                if (!a->isSeparator())
                    QVERIFY2(inkOf(a->icon().pixmap(QSize(16, 16)).toImage()).pixels > 10,
                             qPrintable(a->text()));
        }
    }

    void iconsAreSharpAtScale2()
    {
        ui::applyTheme(ui::Theme::Light);
        const QIcon icon = ui::icons::themed(QStringLiteral("view-grid"));
        const QPixmap at1 = icon.pixmap(QSize(16, 16), 1.0);
        const QPixmap at2 = icon.pixmap(QSize(16, 16), 2.0);
        QCOMPARE(at2.size(), QSize(32, 32)); // rendered from the SVG, not upscaled
        QCOMPARE(at2.devicePixelRatio(), 2.0);
        QVERIFY(inkOf(at2.toImage()).pixels > 2 * inkOf(at1.toImage()).pixels);
        const QPixmap app = ui::icons::application().pixmap(QSize(64, 64), 2.0);
        QCOMPARE(app.size(), QSize(128, 128));
    }

    void unknownPageGetsTheGenericIcon()
    {
        QCOMPARE(ui::icons::nameForPage(QStringLiteral("nothing-like-this")),
                 QStringLiteral("view-list"));
        QVERIFY(ui::icons::isBundled(QStringLiteral("view-list")));
        QVERIFY(!ui::icons::isBundled(QStringLiteral("no-such-icon")));
        QVERIFY(ui::icons::themed(QStringLiteral("no-such-icon")).isNull());
    }
};

QTEST_MAIN(AboutTest)
#include "tst_about.moc"
