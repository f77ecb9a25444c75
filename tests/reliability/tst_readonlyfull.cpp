// Read-only folders and a full disk: a clear error, no crash, no half-written file.
// Read-only: folders made 0555 (run as user nobody when the test runs as root, since root
// writes anywhere). Disk full: simulated with RLIMIT_FSIZE (writes past the limit fail with
// EFBIG, the same failed-write path as ENOSPC) because a small tmpfs needs root to mount.

#include "unprivileged.h"

#include <models/conversationstore.h>
#include <models/panelexport.h>
#include <models/profilestore.h>
#include <sandbox/sandboxserver.h>

#include <QDir>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool makeReadOnly(const QString &dir, bool readOnly = true)
{
    return QFile::setPermissions(dir, readOnly ? QFileDevice::ReadOwner | QFileDevice::ExeOwner |
                                                     QFileDevice::ReadGroup | QFileDevice::ExeGroup
                                               : QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                     QFileDevice::ExeOwner);
}

//! Lowers the file size limit for its lifetime (a "disk" with `bytes` free per file).
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        std::signal(SIGXFSZ, SIG_IGN); // a failed write, not a killed process
        getrlimit(RLIMIT_FSIZE, &m_old);
        rlimit lower = m_old;
        lower.rlim_cur = bytes;
        m_ok = setrlimit(RLIMIT_FSIZE, &lower) == 0;
    }
    ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &m_old); }
    bool ok() const { return m_ok; }

private:
    rlimit m_old{};
    bool m_ok = false;
};

} // namespace

class tst_ReadOnlyFull : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Firedeck"));
        QCoreApplication::setApplicationName(QStringLiteral("firedeck"));
    }

    void profiles_readOnlyConfigFolder_saveRefusedFileUnchanged()
    {
        FD_RUN_UNPRIVILEGED();
        QTemporaryDir config;
        qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
        models::ProfileStore store(QHash<QString, QString>{});
        models::Profile first;
        first.name = QStringLiteral("first");
        first.accountId = QStringLiteral("a1");
        QString error;
        QVERIFY2(store.save(first, {}, &error), qPrintable(error));
        const QString file = config.filePath(QStringLiteral("Firedeck/firedeck.conf"));
        const QByteArray before = readAll(file);
        QVERIFY(before.contains("first"));

        QVERIFY(makeReadOnly(config.filePath(QStringLiteral("Firedeck"))));
        models::Profile second = first;
        second.name = QStringLiteral("second");
        QVERIFY(!store.save(second, {}, &error));
        QVERIFY2(error.contains(QLatin1String("could not be saved")) ||
                     error.contains(QLatin1String("read-only")),
                 qPrintable(error));
        QVERIFY(error.contains(QDir::toNativeSeparators(file)));
        QCOMPARE(readAll(file), before);                // the old file, whole
        QVERIFY(!store.find(QStringLiteral("second"))); // not shown as saved
        QCOMPARE(QDir(config.filePath(QStringLiteral("Firedeck"))).entryList(QDir::Files),
                 QStringList{QStringLiteral("firedeck.conf")});
        QVERIFY(makeReadOnly(config.filePath(QStringLiteral("Firedeck")), false));
    }

    void conversations_readOnlyFolder_clearErrorNoFile()
    {
        FD_RUN_UNPRIVILEGED();
        QTemporaryDir dir;
        QVERIFY(makeReadOnly(dir.path()));
        models::ConversationStore store(dir.filePath(QStringLiteral("conversations.sqlite")));
        QVERIFY(!store.isOpen());
        QVERIFY2(store.lastError().contains(QLatin1String("read-only")),
                 qPrintable(store.lastError()));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
        QCOMPARE(store.createConversation(QStringLiteral("x")), 0); // refused, no crash
        QVERIFY(store.conversations().isEmpty());
        QVERIFY(makeReadOnly(dir.path(), false));
    }

    void conversations_folderTurnedReadOnly_refusedThenIntact()
    {
        FD_RUN_UNPRIVILEGED();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("conversations.sqlite"));
        qint64 conv = 0;
        {
            models::ConversationStore store(path);
            QVERIFY(store.isOpen());
            conv = store.createConversation(QStringLiteral("kept"));
            QVERIFY(store.addMessage(conv, 0, QStringLiteral("user"), QStringLiteral("hi")) > 0);
        }
        QVERIFY(makeReadOnly(dir.path()));
        {
            models::ConversationStore store(path);
            QVERIFY(!store.isOpen());
            QVERIFY2(store.lastError().contains(QLatin1String("read-only")),
                     qPrintable(store.lastError()));
            QVERIFY(store.recoveryNote().isEmpty()); // read-only is not damage: nothing moved
        }
        QVERIFY(makeReadOnly(dir.path(), false));
        models::ConversationStore again(path);
        QVERIFY(again.isOpen());
        QCOMPARE(again.shownPath(conv).size(), 1);
    }

    void export_readOnlyFolder_errorAndNoFile()
    {
        FD_RUN_UNPRIVILEGED();
        QTemporaryDir dir;
        QVERIFY(makeReadOnly(dir.path()));
        QString error;
        QVERIFY(!models::writeFileAtomically(dir.filePath(QStringLiteral("curves.csv")), "a,b\n",
                                             &error));
        QVERIFY2(error.contains(QLatin1String("curves.csv")), qPrintable(error));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
        QVERIFY(makeReadOnly(dir.path(), false));
    }

    void sandbox_readOnlyDataFolder_refusesToStartWithReason()
    {
        FD_RUN_UNPRIVILEGED();
        QTemporaryDir dir;
        QVERIFY(makeReadOnly(dir.path()));
        sandbox::SandboxOptions options;
        options.dataDir = dir.path();
        sandbox::SandboxServer server(options);
        QString error;
        QVERIFY(!server.start(&error));
        QVERIFY2(error.contains(QLatin1String("read-only")), qPrintable(error));
        QVERIFY(makeReadOnly(dir.path(), false));
    }

    void export_diskFull_oldFileKeptNoTemporaryLeft()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("curves.json"));
        QVERIFY(models::writeFileAtomically(path, "old contents\n"));
        QString error;
        {
            FileSizeLimit full(64 * 1024);
            QVERIFY(full.ok());
            QVERIFY(!models::writeFileAtomically(path, QByteArray(1 << 20, 'x'), &error));
        }
        QVERIFY2(error.contains(QLatin1String("curves.json")), qPrintable(error));
        QCOMPARE(readAll(path), QByteArray("old contents\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList{QStringLiteral("curves.json")});
    }

    void conversations_diskFull_writeRefusedStoreIntact()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("conversations.sqlite"));
        qint64 conv = 0;
        {
            models::ConversationStore store(path);
            QVERIFY(store.isOpen());
            conv = store.createConversation(QStringLiteral("kept"));
            QVERIFY(store.addMessage(conv, 0, QStringLiteral("user"), QStringLiteral("hi")) > 0);
            FileSizeLimit full(256 * 1024);
            QVERIFY(full.ok());
            QCOMPARE(store.addMessage(conv, 0, QStringLiteral("user"),
                                      QString(2 << 20, QLatin1Char('y'))),
                     0);
            QVERIFY2(!store.lastError().isEmpty(), "the failed write gave no reason");
        }
        models::ConversationStore again(path);
        QVERIFY(again.isOpen());
        QVERIFY2(again.recoveryNote().isEmpty(), qPrintable(again.recoveryNote()));
        const auto shown = again.shownPath(conv);
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown[0].content, QStringLiteral("hi"));
    }
};

QTEST_GUILESS_MAIN(tst_ReadOnlyFull)
#include "tst_readonlyfull.moc"
