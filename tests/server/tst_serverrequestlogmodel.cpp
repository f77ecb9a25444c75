// The request log model the Local models page shows, under QAbstractItemModelTester: rows in
// arrival order with their figures, at most kMaxRows (oldest dropped), clear; and the server
// settings that Settings writes and Serve reads.

#include <models/localserver.h>
#include <models/serverrequestlogmodel.h>

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using models::ServerRequestLogModel;

class tst_ServerRequestLogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rows_showEachRequestsFigures();
    void rows_areCapped_oldestDropped();
    void begin_showsARequestUnderWay_appendFillsItIn();
    void settings_roundTrip_defaultPort();
    void file_keepsTheLogAcrossRestarts_tornLineSkipped_rotated();
};

namespace {

engineserver::RequestLogEntry entry(quint64 id, int status)
{
    engineserver::RequestLogEntry e;
    e.id = id;
    e.received = QDateTime(QDate(2026, 12, 6), QTime(7, 8, 9));
    e.method = QStringLiteral("POST");
    e.route = QStringLiteral("/v1/chat/completions");
    e.model = QStringLiteral("qwen3-random");
    e.status = status;
    e.promptTokens = 12;
    e.completionTokens = 30;
    e.timeToFirstTokenMs = 41.6;
    e.queuedMs = 250;
    e.tokensPerSecond = 55.25;
    e.durationMs = 1500;
    if (status != 200)
        e.error = QStringLiteral("the client closed the connection");
    return e;
}

} // namespace

void tst_ServerRequestLogModel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_serverrequestlogmodel"));
    QSettings().clear();
}

void tst_ServerRequestLogModel::rows_showEachRequestsFigures()
{
    ServerRequestLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.append(entry(1, 200));
    model.append(entry(2, 499));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(ServerRequestLogModel::ColumnCount));
    auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(text(0, ServerRequestLogModel::TimeColumn), QStringLiteral("07:08:09"));
    QCOMPARE(text(0, ServerRequestLogModel::RouteColumn),
             QStringLiteral("POST /v1/chat/completions"));
    QCOMPARE(text(0, ServerRequestLogModel::ModelColumn), QStringLiteral("qwen3-random"));
    QCOMPARE(text(0, ServerRequestLogModel::StatusColumn), QStringLiteral("200"));
    QCOMPARE(text(0, ServerRequestLogModel::FirstTokenColumn), QStringLiteral("42 ms"));
    // The time it waited behind other requests for its model: a timing the log kept unseen.
    bool queuedShown = false;
    for (int column = 0; column < model.columnCount(); ++column)
        queuedShown |=
            model.headerData(column, Qt::Horizontal).toString() == QStringLiteral("Queued") &&
            text(0, column) == QStringLiteral("250 ms");
    QVERIFY(queuedShown);
    QCOMPARE(text(0, ServerRequestLogModel::TokensColumn), QStringLiteral("12 → 30"));
    QCOMPARE(text(0, ServerRequestLogModel::TokensPerSecondColumn), QStringLiteral("55.3"));
    QCOMPARE(text(0, ServerRequestLogModel::DurationColumn), QStringLiteral("1.50 s"));
    QCOMPARE(text(1, ServerRequestLogModel::StatusColumn), QStringLiteral("499 (client left)"));
    QVERIFY(!model.index(0, 0).data(Qt::ToolTipRole).isValid());
    QCOMPARE(model.index(1, 0).data(Qt::ToolTipRole).toString(),
             QStringLiteral("the client closed the connection"));
    // The error is in the row itself: a tooltip alone could not be read from the keyboard.
    QStringList shown;
    for (int column = 0; column < model.columnCount(); ++column)
        shown << text(1, column);
    QVERIFY2(shown.contains(QStringLiteral("the client closed the connection")),
             qPrintable(shown.join(QStringLiteral(" | "))));
    QCOMPARE(model.headerData(ServerRequestLogModel::FirstTokenColumn, Qt::Horizontal).toString(),
             QStringLiteral("First token"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void tst_ServerRequestLogModel::rows_areCapped_oldestDropped()
{
    ServerRequestLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 1; i <= ServerRequestLogModel::kMaxRows + 5; ++i)
        model.append(entry(quint64(i), 200));
    QCOMPARE(model.rowCount(), ServerRequestLogModel::kMaxRows);
    QCOMPARE(model.entry(0)->id, quint64(6));
    QCOMPARE(model.entry(model.rowCount() - 1)->id, quint64(ServerRequestLogModel::kMaxRows + 5));
    QVERIFY(!model.entry(model.rowCount()));
}

void tst_ServerRequestLogModel::begin_showsARequestUnderWay_appendFillsItIn()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("log.jsonl"));
    ServerRequestLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.setFile(path));
    engineserver::RequestLogEntry running = entry(5, 0);
    running.promptTokens = running.completionTokens = 0;
    running.timeToFirstTokenMs = -1;
    running.tokensPerSecond = running.durationMs = 0;
    model.begin(running);
    QCOMPARE(model.rowCount(), 1);
    auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(text(0, ServerRequestLogModel::StatusColumn), QStringLiteral("in progress"));
    QCOMPARE(text(0, ServerRequestLogModel::DurationColumn), QString());
    QCOMPARE(text(0, ServerRequestLogModel::ModelColumn), QStringLiteral("qwen3-random"));
    QCOMPARE(QFileInfo(path).size(), 0); // only finished requests are kept
    model.append(entry(6, 400));         // another, refused at once, comes after it
    model.append(entry(5, 200));         // the one under way ends: its row is filled in
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.entry(0)->id, quint64(5));
    QCOMPARE(text(0, ServerRequestLogModel::StatusColumn), QStringLiteral("200"));
    QCOMPARE(text(0, ServerRequestLogModel::DurationColumn), QStringLiteral("1.50 s"));
    QCOMPARE(text(1, ServerRequestLogModel::StatusColumn), QStringLiteral("400"));
    ServerRequestLogModel reread;
    QVERIFY(reread.setFile(path));
    QCOMPARE(reread.rowCount(), 2);
}

void tst_ServerRequestLogModel::settings_roundTrip_defaultPort()
{
    QCOMPARE(models::LocalServerSettings::load().port, models::LocalServerSettings::defaultPort());
    QVERIFY(!models::LocalServerSettings::load().allowNetwork); // loopback unless asked
    models::LocalServerSettings s;
    s.port = 9123;
    s.allowNetwork = true;
    s.apiKey = QStringLiteral("sk-mine");
    s.save();
    const auto back = models::LocalServerSettings::load();
    QCOMPARE(back.port, 9123);
    QVERIFY(back.allowNetwork);
    QCOMPARE(back.apiKey, QStringLiteral("sk-mine"));
}

void tst_ServerRequestLogModel::file_keepsTheLogAcrossRestarts_tornLineSkipped_rotated()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("logs/server-requests.jsonl"));
    {
        ServerRequestLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY2(model.setFile(path), qPrintable(model.fileError()));
        QCOMPARE(model.rowCount(), 0);
        model.append(entry(1, 200));
        model.append(entry(2, 499));
        model.append(entry(3, 200));
    }
    // The app started again: the rows are back, figures and errors included.
    {
        ServerRequestLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setFile(path));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.skippedLines(), 0);
        const engineserver::RequestLogEntry *e = model.entry(1);
        QCOMPARE(e->id, quint64(2));
        QCOMPARE(e->status, 499);
        QCOMPARE(e->received, entry(2, 499).received);
        QCOMPARE(e->route, QStringLiteral("/v1/chat/completions"));
        QCOMPARE(e->timeToFirstTokenMs, 41.6);
        QCOMPARE(e->completionTokens, qint64(30));
        QCOMPARE(e->error, QStringLiteral("the client closed the connection"));
        QCOMPARE(model.index(1, ServerRequestLogModel::StatusColumn).data().toString(),
                 QStringLiteral("499 (client left)"));
    }
    // A crash while a line was written leaves it torn: the earlier lines and the later ones
    // are read, the torn one skipped.
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write(R"({"id":"4","received":"2026-12-)");
    }
    {
        ServerRequestLogModel model;
        QVERIFY(model.setFile(path));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.skippedLines(), 1);
        model.append(entry(5, 200));
    }
    {
        ServerRequestLogModel model;
        QVERIFY(model.setFile(path));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.skippedLines(), 1);
        QCOMPARE(model.entry(3)->id, quint64(5));
    }
    // The file stays bounded: past kMaxFileBytes it moves to .1 and a new one starts; the
    // newest kMaxRows rows come back, newest last.
    {
        ServerRequestLogModel model;
        QVERIFY(model.setFile(path));
        const qint64 lineBytes = ServerRequestLogModel::toJsonLine(entry(6, 200)).size() + 1;
        const int lines = int(ServerRequestLogModel::kMaxFileBytes / lineBytes) + 50;
        for (int i = 0; i < lines; ++i)
            model.append(entry(quint64(100 + i), 200));
        QVERIFY(QFile::exists(path + QStringLiteral(".1")));
        QVERIFY(QFileInfo(path).size() < ServerRequestLogModel::kMaxFileBytes);
        QVERIFY(QFileInfo(path + QStringLiteral(".1")).size() <=
                ServerRequestLogModel::kMaxFileBytes + lineBytes);
        ServerRequestLogModel again;
        QVERIFY(again.setFile(path));
        QCOMPARE(again.rowCount(), ServerRequestLogModel::kMaxRows);
        QCOMPARE(again.entry(again.rowCount() - 1)->id, quint64(100 + lines - 1));
        // Clear empties the file too.
        again.clear();
        ServerRequestLogModel cleared;
        QVERIFY(cleared.setFile(path));
        QCOMPARE(cleared.rowCount(), 0);
    }
}

QTEST_GUILESS_MAIN(tst_ServerRequestLogModel)
#include "tst_serverrequestlogmodel.moc"
