// What a failed load tells people (models::LocalEngine::loadFailureText), for every kind the
// engine host reports: the engine's words kept, then advice that follows enginehost::remedyFor
// — load again (with memory freed, or the CPU backend for the GPU), change the settings, or
// nothing to retry (the model's files or what this engine can do with them). The failures
// themselves are provoked for real in enginehost.loadfailures and ui.localmodelsloadfailures;
// this walks the kinds no machine here can provoke (an I/O error, a device error, a bug).

#include <engine/host/errorkind.h>
#include <models/localengine.h>

#include <QTest>

using enginehost::ErrorKind;

class tst_LoadFailureText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyKind_keepsTheWords_andAdvisesByItsRemedy_data();
    void everyKind_keepsTheWords_andAdvisesByItsRemedy();
    void cancel_saysNothingStaysInMemory();
    void adapterFailed_isWordedAsTheAdapters();
};

void tst_LoadFailureText::everyKind_keepsTheWords_andAdvisesByItsRemedy_data()
{
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("advice");
    QTest::addColumn<bool>("askedCuda");
    // The CPU is offered only where CUDA was asked for: Auto falls back to it by itself.
    QTest::newRow("out of memory")
        << ErrorKind::OutOfMemory
        << QStringLiteral("free some (unload another model, close a program) or choose a "
                          "shorter context, then load again.")
        << false;
    QTest::newRow("out of memory on CUDA")
        << ErrorKind::OutOfMemory
        << QStringLiteral("free some (unload another model, close a program), or choose a "
                          "shorter context or the CPU backend, then load again.")
        << true;
    QTest::newRow("device") << ErrorKind::Device
                            << QStringLiteral("load again, or choose the CPU backend.") << true;
    QTest::newRow("io") << ErrorKind::Io << QStringLiteral("This may pass: load again.") << false;
    QTest::newRow("invalid argument")
        << ErrorKind::InvalidArgument
        << QStringLiteral("Change the context length or the backend: the same settings fail "
                          "the same way.")
        << false;
    QTest::newRow("context length")
        << ErrorKind::ContextLength << QStringLiteral("Change the context length or the backend")
        << false;
    QTest::newRow("not found") << ErrorKind::NotFound
                               << QStringLiteral("A file the model needs is missing") << false;
    QTest::newRow("corrupt") << ErrorKind::Corrupt
                             << QStringLiteral("A file of this model is damaged") << false;
    QTest::newRow("unsupported") << ErrorKind::Unsupported
                                 << QStringLiteral("This engine cannot load this model") << false;
    QTest::newRow("internal") << ErrorKind::Internal
                              << QStringLiteral("The engine failed a check of its own") << false;
}

void tst_LoadFailureText::everyKind_keepsTheWords_andAdvisesByItsRemedy()
{
    QFETCH(ErrorKind, kind);
    QFETCH(QString, advice);
    QFETCH(bool, askedCuda);
    enginehost::LoadOutcome o;
    o.error = QStringLiteral("the engine's own sentence");
    o.errorKind = kind;
    const QString text = models::LocalEngine::loadFailureText(
        o, askedCuda ? enginehost::BackendChoice::Cuda : enginehost::BackendChoice::Auto);
    QVERIFY2(text.startsWith(QStringLiteral("Loading failed: the engine's own sentence. ")),
             qPrintable(text));
    QVERIFY2(text.contains(advice), qPrintable(text));
    QCOMPARE(text.contains(QStringLiteral("CPU backend")), askedCuda);
    // Loading again is offered exactly when the rule says the same load may pass.
    QCOMPARE(text.contains(QStringLiteral("load again")), enginehost::mayPassOnRetry(kind));
    QCOMPARE(text.contains(QStringLiteral("fails the same way")) ||
                 text.contains(QStringLiteral("fail the same way")),
             !enginehost::mayPassOnRetry(kind));
}

void tst_LoadFailureText::cancel_saysNothingStaysInMemory()
{
    enginehost::LoadOutcome o;
    o.cancelled = true;
    o.error = QStringLiteral("loading was cancelled");
    o.errorKind = ErrorKind::Cancelled;
    QCOMPARE(models::LocalEngine::loadFailureText(o),
             QStringLiteral("Loading was cancelled; nothing stays in memory."));
}

void tst_LoadFailureText::adapterFailed_isWordedAsTheAdapters()
{
    // A damaged adapter loaded with its base: not "a file of this model is damaged".
    enginehost::LoadOutcome o;
    o.error = QStringLiteral("the engine's own sentence");
    o.errorKind = ErrorKind::Corrupt;
    o.adapterFailed = true;
    const QString text = models::LocalEngine::loadFailureText(o);
    QCOMPARE(text, models::LocalEngine::adapterFailureText(
                       o.error, o.errorKind, models::LocalEngine::AdapterStep::LoadWithBase));
    QVERIFY2(!text.contains(QStringLiteral("this model is damaged")), qPrintable(text));
}

QTEST_GUILESS_MAIN(tst_LoadFailureText)
#include "tst_loadfailuretext.moc"
