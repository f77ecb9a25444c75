// Firedeck's main(): the command line (profile, data folder, --screenshot, --help,
// --version) around FiredeckApp, which builds and wires everything.

#include "firedeckapp.h"

#include <client/resourcenames.h>
#include <models/chatsession.h>
#include <models/localengine.h>
#include <models/profilestore.h>
#include <models/trainingjoblistmodel.h>
#include <ui/comparerunsview.h>
#include <ui/datasetwizard.h>
#include <ui/finetunewizard.h>
#include <ui/jobview.h>
#include <ui/mainwindow.h>
#include <ui/page.h>
#include <ui/playgroundpage.h>
#include <ui/theme.h>
#include <ui/trainingjobspage.h>
#include <ui/uploadmodeldialog.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>

#include <firedeck/version.h>

#include <cstdio>
#include <tuple>
#include <utility>

namespace {

int fail(const QString &message)
{
    QTextStream(stderr) << "firedeck: " << message << "\n";
    return 2;
}

//! job:NAME/TAB -> (NAME, TAB); NAME is a full job name or an ID, TAB optional.
std::pair<QString, QString> splitJobShot(const QString &spec)
{
    QStringList parts = spec.split(QLatin1Char('/'));
    QString tab;
    if (parts.size() == 2 || parts.size() == 5) // ID/TAB or accounts/a/kindJobs/id/TAB
        tab = parts.takeLast();
    return {parts.join(QLatin1Char('/')), tab};
}

//! Opens the job view for --screenshot job:NAME; false (with a message) when it cannot.
bool openJobForShot(ui::Page *page, const QString &nameOrId, const QString &tab)
{
    auto *jobs = qobject_cast<ui::TrainingJobsPage *>(page);
    QString name = nameOrId.contains(QLatin1Char('/')) ? nameOrId : QString();
    for (int row = 0; jobs && name.isEmpty() && row < jobs->model()->rowCount(); ++row)
        if (client::resourceId(jobs->model()->nameAt(row)) == nameOrId)
            name = jobs->model()->nameAt(row);
    if (!jobs || name.isEmpty()) {
        fail(QStringLiteral("--screenshot: no fine-tuning job \"%1\"").arg(nameOrId));
        return false;
    }
    jobs->openJob(name, tab);
    if (!tab.isEmpty() && !jobs->jobView()->selectTab(tab)) {
        fail(QStringLiteral("--screenshot: the job view has no tab \"%1\" for this job (curves, "
                            "logs, parameters; rollouts for RFT jobs)")
                 .arg(tab));
        return false;
    }
    return true;
}

//! Opens the Compare window for --screenshot compare:A,B; null (with a message) when it cannot.
QWidget *openCompareForShot(ui::Page *page, const QStringList &namesOrIds)
{
    auto *jobs = qobject_cast<ui::TrainingJobsPage *>(page);
    QList<client::TrainingJob> listed;
    for (const QString &nameOrId : namesOrIds) {
        const auto job = jobs ? jobs->listedJob(nameOrId) : std::nullopt;
        if (!job) {
            fail(QStringLiteral("--screenshot: no fine-tuning job \"%1\"").arg(nameOrId));
            return nullptr;
        }
        listed.append(*job);
    }
    QWidget *compare = jobs->compareJobs(listed);
    if (!compare)
        fail(QStringLiteral("--screenshot compare: takes 2 to %1 jobs")
                 .arg(ui::CompareRunsView::kMaxRuns));
    return compare;
}

//! --startup-probe (hidden; bench/ui/bench_startup): prints the milliseconds from main() to
//! the end of the window's first paint and to the Overview's data, then quits.
class StartupProbe : public QObject
{
public:
    StartupProbe(ui::MainWindow *window, const QElapsedTimer *clock)
        : QObject(window), m_clock(clock)
    {
        window->installEventFilter(this);
        if (ui::Page *overview = window->page(QStringLiteral("overview")))
            connect(overview, &ui::Page::loaded, this, [this] {
                if (m_loadedMs < 0)
                    m_loadedMs = report("overview-loaded-ms");
            });
        QTimer::singleShot(60000, this, [] { QApplication::exit(1); });
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        // The paint is done (and the frame flushed) when the event loop is back.
        if (event->type() == QEvent::Paint && !m_painting) {
            m_painting = true;
            QTimer::singleShot(0, this, [this] { m_paintedMs = report("first-paint-ms"); });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    qint64 report(const char *what)
    {
        const qint64 ms = m_clock->elapsed();
        std::printf("%s %lld\n", what, static_cast<long long>(ms));
        std::fflush(stdout);
        if (m_paintedMs >= 0 || m_loadedMs >= 0) // this is the second of the two
            QTimer::singleShot(0, qApp, [] { QApplication::exit(0); });
        return ms;
    }

    const QElapsedTimer *m_clock;
    bool m_painting = false;
    qint64 m_paintedMs = -1;
    qint64 m_loadedMs = -1;
};

//! --upload-model DIR (hidden; tests/reliability/tst_appcrash kills the app in the middle of
//! it): once the profile is open, the Models page's Upload dialog filled in as a person would
//! (folder DIR, its folder name as the ID) and its Upload button clicked.
void startUploadOnceOpen(FiredeckApp *firedeck, const QString &folder)
{
    auto *once = new QObject(firedeck);
    QObject::connect(firedeck->manager(), &models::ProfileManager::activated, once, [=] {
        once->deleteLater();
        ui::MainWindow *window = firedeck->window();
        window->showPage(QStringLiteral("models"));
        window->page(QStringLiteral("models"))->newItem();
        auto *dialog = window->findChild<ui::UploadModelDialog *>();
        auto *id = dialog ? dialog->findChild<QLineEdit *>(QStringLiteral("modelIdEdit")) : nullptr;
        auto *buttons = dialog ? dialog->findChild<QDialogButtonBox *>() : nullptr;
        if (!id || !buttons) {
            fail(QStringLiteral("--upload-model: the Models page offers no upload"));
            QApplication::exit(1);
            return;
        }
        dialog->setFolder(folder);
        id->setText(QFileInfo(folder).fileName());
        QPushButton *upload = buttons->button(QDialogButtonBox::Ok);
        if (!upload->isEnabled()) {
            fail(QStringLiteral("--upload-model: %1 cannot be uploaded").arg(folder));
            QApplication::exit(1);
            return;
        }
        upload->click();
    });
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceStart; // --startup-probe counts from here
    sinceStart.start();
    QApplication::setApplicationName(QStringLiteral("firedeck"));
    QApplication::setOrganizationName(QStringLiteral("Firedeck"));
    QApplication::setApplicationVersion(QStringLiteral(FIREDECK_VERSION));
    // Wayland's app ID and X11's WM class point the desktop at firedeck's .desktop file.
    QGuiApplication::setDesktopFileName(QStringLiteral(FIREDECK_APP_ID));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Train and serve open models on Fireworks AI, or locally."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption profileOption(
        QStringLiteral("profile"),
        QStringLiteral("Profile to open: local, fireworks (the FIREWORKS_* environment's, else "
                       "the first saved one) or a saved profile's name. Default: the last used."),
        QStringLiteral("NAME"));
    QCommandLineOption dataOption(QStringLiteral("data-dir"),
                                  QStringLiteral("Folder of the Local sandbox's data."),
                                  QStringLiteral("DIR"));
    QCommandLineOption shotOption(
        QStringLiteral("screenshot"),
        QStringLiteral(
            "Render PAGE to FILE (PNG) once its data has loaded, then quit. "
            "Pages: overview, models, datasets, jobs, deployments, apikeys, secrets, playground, "
            "local-models, settings; "
            "PAGE:NAME selects the resource NAME (its full name) first; job:NAME[/TAB] opens "
            "the fine-tuning job NAME (full name or ID) on TAB (curves, logs, "
            "parameters; rollouts for an RFT job); compare:NAME,NAME[,…] renders the Compare window of those jobs; "
            "dataset-wizard and finetune-wizard render those wizards (validation "
            "and summary steps); dataset-wizard-tokens the Tokens step's histogram (tokenizer "
            "files from $FIREDECK_TOKENIZER_DIR)."),
        QStringLiteral("PAGE FILE"));
    QCommandLineOption loadModelOption(
        QStringLiteral("load-model"),
        QStringLiteral("Load the model folder DIR into the local engine at start (backend Auto)."),
        QStringLiteral("DIR"));
    QCommandLineOption sendOption(
        QStringLiteral("send"),
        QStringLiteral("With --load-model: once the model is loaded, send TEXT in a new Playground "
                       "conversation; --screenshot playground then waits for the reply's end, "
                       "--screenshot playground-side-by-side sends it to the loaded model and a "
                       "deployment side by side and waits for both."),
        QStringLiteral("TEXT"));
    parser.addOptions({profileOption, dataOption, shotOption});
    parser.addOptions({loadModelOption, sendOption});
    QCommandLineOption probeOption(
        QStringLiteral("startup-probe"),
        QStringLiteral("Print when the window has painted and the Overview has "
                       "loaded, then quit."));
    probeOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(probeOption);
    QCommandLineOption uploadOption(
        QStringLiteral("upload-model"),
        QStringLiteral("Once the profile is open, upload the model folder DIR under its folder "
                       "name as the Models page's Upload dialog does."),
        QStringLiteral("DIR"));
    uploadOption.setFlags(QCommandLineOption::HiddenFromHelp); // tests/reliability/tst_appcrash
    parser.addOption(uploadOption);

    // --help and --version answer before QApplication exists, so they work without a display
    // (a terminal over ssh, the package test, help2man). Errors wait for process() below,
    // which knows Qt's own options (-platform, -style) once QApplication has taken them out.
    QStringList rawArguments;
    for (int i = 0; i < argc; ++i)
        rawArguments << QString::fromLocal8Bit(argv[i]);
    if (parser.parse(rawArguments)) {
        if (parser.isSet(QStringLiteral("help"))) {
            // Without an application object Qt cannot know the program's name and writes
            // "<executable_name>"; name it as it was started, like every other tool does.
            QString help = parser.helpText();
            help.replace(QLatin1String("<executable_name>"), rawArguments.isEmpty()
                                                                 ? QStringLiteral("firedeck")
                                                                 : rawArguments.constFirst());
            std::fputs(qPrintable(help), stdout);
            return 0;
        }
        if (parser.isSet(QStringLiteral("version"))) {
            std::printf("firedeck %s\n", FIREDECK_VERSION);
            return 0;
        }
    }

    QApplication app(argc, argv);
    parser.process(app);

    QString shotPage, shotResource, shotFile;
    if (parser.isSet(shotOption)) {
        shotPage = parser.value(shotOption);
        const qsizetype colon = shotPage.indexOf(QLatin1Char(':'));
        if (colon > 0) {
            shotResource = shotPage.mid(colon + 1);
            shotPage = shotPage.left(colon);
        }
        const QStringList rest = parser.positionalArguments();
        if (rest.size() != 1)
            return fail(QStringLiteral(
                "--screenshot needs PAGE and FILE, e.g. --screenshot overview shot.png"));
        shotFile = rest.first();
    }
    // compare:NAME,NAME[,…]: the Compare window of those fine-tuning jobs (names or IDs).
    QStringList shotCompare;
    if (shotPage == QLatin1String("compare")) {
        shotCompare = shotResource.split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (shotCompare.size() < 2)
            return fail(QStringLiteral("--screenshot compare:NAME,NAME needs two or more jobs"));
        shotPage = QStringLiteral("jobs");
        shotResource.clear();
    }
    // job:NAME[/TAB]: the Fine-tuning page with the job view of NAME open (on TAB).
    QString shotJob, shotTab;
    if (shotPage == QLatin1String("job")) {
        std::tie(shotJob, shotTab) = splitJobShot(shotResource);
        if (shotJob.isEmpty())
            return fail(QStringLiteral("--screenshot job:NAME needs the job's name or ID"));
        shotPage = QStringLiteral("jobs");
        shotResource.clear();
    }

    // playground-side-by-side: the Playground's side-by-side (with --load-model and --send).
    const bool shotSideBySide = shotPage == QLatin1String("playground-side-by-side");
    if (shotSideBySide)
        shotPage = QStringLiteral("playground");

    models::ProfileStore profiles; // read-only here: which profile to open
    std::optional<models::Profile> initial = parser.isSet(profileOption)
                                                 ? profiles.resolve(parser.value(profileOption))
                                                 : profiles.resolve(profiles.lastUsed());
    if (!initial && parser.isSet(profileOption)) {
        QStringList names;
        for (const models::Profile &p : profiles.profiles())
            names << p.name;
        return fail(QStringLiteral("unknown profile \"%1\" (local, fireworks, or one of: %2)")
                        .arg(parser.value(profileOption), names.join(QStringLiteral(", "))));
    }
    if (!initial)
        initial = profiles.resolve(models::ProfileStore::localName());

    const QString dataDir =
        parser.isSet(dataOption)
            ? parser.value(dataOption)
            : QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                  .filePath(QStringLiteral("local-sandbox"));
    ui::applyTheme(ui::savedTheme());
    FiredeckApp firedeck(dataDir);
    ui::MainWindow &window = *firedeck.window();
    window.restoreLayout();

    // --load-model DIR [--send TEXT]: a model in the local engine from the start and a first
    // message to it (README screenshots, smoke tests of the whole local path).
    const bool shotAfterReply = parser.isSet(sendOption) && shotPage == QLatin1String("playground");
    if (parser.isSet(loadModelOption)) {
        QObject::connect(firedeck.localEngine(), &models::LocalEngine::loadFinished, &window,
                         [&](quint64, const enginehost::LoadOutcome &outcome) {
                             if (!outcome.ok) {
                                 fail(QStringLiteral("--load-model: %1")
                                          .arg(models::LocalEngine::loadFailureText(outcome)));
                                 if (!shotFile.isEmpty())
                                     QApplication::exit(1);
                                 return;
                             }
                             auto *playground = qobject_cast<ui::PlaygroundPage *>(
                                 window.page(QStringLiteral("playground")));
                             // The conversation is shown, not sent behind the page last open.
                             if (parser.isSet(sendOption) && playground)
                                 window.showPage(QStringLiteral("playground"));
                             if (parser.isSet(sendOption) && playground && shotSideBySide)
                                 playground->sendSideBySide(parser.value(sendOption));
                             else if (parser.isSet(sendOption) && playground)
                                 playground->sendInNewConversation(parser.value(sendOption));
                         });
        firedeck.localEngine()->load(parser.value(loadModelOption), {});
    }
    auto *shotPlayground =
        qobject_cast<ui::PlaygroundPage *>(window.page(QStringLiteral("playground")));
    if (shotAfterReply && shotSideBySide && shotPlayground)
        QObject::connect(
            shotPlayground, &ui::PlaygroundPage::sideBySideFinished, &window, [&](bool shown) {
                if (!shown) {
                    fail(QStringLiteral("--screenshot playground-side-by-side: not two targets "
                                        "that answer (a loaded model and a deployment)"));
                    QApplication::exit(1);
                    return;
                }
                QTimer::singleShot(300, &window, [&] {
                    const bool ok = window.grab().save(shotFile, "PNG");
                    QTextStream(ok ? stdout : stderr)
                        << (ok ? "saved " : "cannot save ") << shotFile << "\n";
                    QApplication::exit(ok ? 0 : 1);
                });
            });
    else if (shotAfterReply)
        QObject::connect(firedeck.chat(), &models::ChatSession::replyFinished, &window, [&] {
            QTimer::singleShot(300, &window, [&] {
                const bool ok = window.grab().save(shotFile, "PNG");
                QTextStream(ok ? stdout : stderr)
                    << (ok ? "saved " : "cannot save ") << shotFile << "\n";
                QApplication::exit(ok ? 0 : 1);
            });
        });

    // --screenshot dataset-wizard FILE: the dataset wizard's validation step on a demo file.
    if (shotPage == QLatin1String("dataset-wizard"))
        return ui::DatasetWizard::screenshot(firedeck.api(), shotFile);
    // --screenshot dataset-wizard-tokens FILE: its Tokens step (histogram), counted with the
    // tokenizer files in $FIREDECK_TOKENIZER_DIR as the catalog's Qwen3 0.6B (profile opened).
    if (shotPage == QLatin1String("dataset-wizard-tokens")) {
        firedeck.activate(initial->name);
        return ui::DatasetWizard::screenshotTokens(firedeck.api(), shotFile,
                                                   qEnvironmentVariable("FIREDECK_TOKENIZER_DIR"));
    }
    // --screenshot finetune-wizard FILE: the fine-tuning wizard's summary step.
    // It lists the profile's models and datasets, so the profile is opened first.
    if (shotPage == QLatin1String("finetune-wizard")) {
        firedeck.activate(initial->name);
        return ui::FineTuneWizard::screenshot(firedeck.api(), shotFile);
    }
    if (!shotPage.isEmpty()) {
        QStringList ids;
        for (ui::Page *p : window.pages())
            ids << p->pageId();
        if (!window.showPage(shotPage))
            return fail(QStringLiteral("--screenshot: unknown page \"%1\" (available: %2)")
                            .arg(shotPage, ids.join(QStringLiteral(", "))));
        window.resize(1400, 860);
        ui::Page *shown = window.page(shotPage);
        QObject::connect(shown, &ui::Page::loaded, &window, [&, shown] {
            static bool taken = false; // loaded() comes again with every reload
            if (shotAfterReply || std::exchange(taken, true))
                return;
            if (!shotResource.isEmpty())
                shown->showResource(shotResource);
            if (!shotJob.isEmpty() && !openJobForShot(shown, shotJob, shotTab)) {
                QApplication::exit(1);
                return;
            }
            if (!shotCompare.isEmpty()) {
                QWidget *compare = openCompareForShot(shown, shotCompare);
                if (!compare) {
                    QApplication::exit(1);
                    return;
                }
                // Each job's metrics file is fetched after the window opens.
                QTimer::singleShot(2500, compare, [&, compare] {
                    const bool ok = compare->grab().save(shotFile, "PNG");
                    QTextStream(ok ? stdout : stderr)
                        << (ok ? "saved " : "cannot save ") << shotFile << "\n";
                    QApplication::exit(ok ? 0 : 1);
                });
                return;
            }
            // A job view fetches the job and its metrics after it opens.
            const int settleMs = !shotJob.isEmpty() ? 1500 : shotResource.isEmpty() ? 300 : 800;
            QTimer::singleShot(settleMs, &window, [&] {
                const bool ok = window.grab().save(shotFile, "PNG");
                QTextStream(ok ? stdout : stderr)
                    << (ok ? "saved " : "cannot save ") << shotFile << "\n";
                QApplication::exit(ok ? 0 : 1);
            });
        });
    }

    if (!shotFile.isEmpty())
        firedeck.setActivationFailureHandler([](const QString &message) {
            QTextStream(stderr) << "firedeck: " << message << "\n";
            QApplication::exit(1);
        });
    if (parser.isSet(probeOption))
        new StartupProbe(&window, &sinceStart); // owned by the window
    if (parser.isSet(uploadOption))
        startUploadOnceOpen(&firedeck, parser.value(uploadOption));
    firedeck.activate(initial->name);
    window.show();
    return app.exec();
}
