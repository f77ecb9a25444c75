// What a LoRA adapter that could not be attached tells people
// (models::LocalEngine::adapterFailureText), for every kind the engine host reports: the
// engine's words kept, then advice that follows enginehost::remedyFor, as a failed load's does
// — attach again (with memory freed) or nothing to retry (the adapter's files, the base model
// it was trained for, or what this engine can do with it). Damaged, mismatched and misplaced
// adapters are provoked for real in ui.playgroundlorafailures; this walks the kinds no machine
// here can provoke (out of memory, an I/O error, a device error, a bug).

#include <engine/host/errorkind.h>
#include <models/localengine.h>

#include <QTest>

using enginehost::ErrorKind;

class tst_AdapterFailureText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyKind_keepsTheWords_andAdvisesByItsRemedy_data();
    void everyKind_keepsTheWords_andAdvisesByItsRemedy();
    void unclassified_isTheWordsAlone();
    void withItsBase_everyKind_advisesLoadingNotAttaching_data();
    void withItsBase_everyKind_advisesLoadingNotAttaching();
};

void tst_AdapterFailureText::everyKind_keepsTheWords_andAdvisesByItsRemedy_data()
{
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("advice");
    QTest::newRow("out of memory")
        << ErrorKind::OutOfMemory
        << QStringLiteral("free some (unload another model, close a program), then attach it "
                          "again.");
    QTest::newRow("device") << ErrorKind::Device
                            << QStringLiteral("This may pass: attach it again.");
    QTest::newRow("io") << ErrorKind::Io << QStringLiteral("This may pass: attach it again.");
    QTest::newRow("cancelled") << ErrorKind::Cancelled
                               << QStringLiteral("This may pass: attach it again.");
    QTest::newRow("invalid argument")
        << ErrorKind::InvalidArgument << QStringLiteral("This engine cannot use this adapter");
    QTest::newRow("context length")
        << ErrorKind::ContextLength << QStringLiteral("This engine cannot use this adapter");
    QTest::newRow("not found") << ErrorKind::NotFound
                               << QStringLiteral("Choose the adapter's own folder");
    QTest::newRow("corrupt") << ErrorKind::Corrupt
                             << QStringLiteral("damaged or it was trained for another base model");
    QTest::newRow("unsupported") << ErrorKind::Unsupported
                                 << QStringLiteral("This engine cannot use this adapter");
    QTest::newRow("internal") << ErrorKind::Internal
                              << QStringLiteral("The engine failed a check of its own");
}

void tst_AdapterFailureText::everyKind_keepsTheWords_andAdvisesByItsRemedy()
{
    QFETCH(ErrorKind, kind);
    QFETCH(QString, advice);
    const QString text =
        models::LocalEngine::adapterFailureText(QStringLiteral("the engine's own sentence"), kind);
    QVERIFY2(text.startsWith(QStringLiteral(
                 "The LoRA adapter could not be attached: the engine's own sentence. ")),
             qPrintable(text));
    QVERIFY2(text.contains(advice), qPrintable(text));
    // Attaching again is offered exactly when the rule says the same attach may pass.
    QCOMPARE(text.contains(QStringLiteral("attach it again")), enginehost::mayPassOnRetry(kind));
    QCOMPARE(text.contains(QStringLiteral("fails the same way")),
             !enginehost::mayPassOnRetry(kind));
}

void tst_AdapterFailureText::unclassified_isTheWordsAlone()
{
    // The host's own refusals (the model was unloaded meanwhile) carry no engine code: no advice
    // is made up for them.
    QCOMPARE(models::LocalEngine::adapterFailureText(QStringLiteral("the model was unloaded"),
                                                     ErrorKind::None),
             QStringLiteral("The LoRA adapter could not be attached: the model was unloaded"));
}

void tst_AdapterFailureText::withItsBase_everyKind_advisesLoadingNotAttaching_data()
{
    everyKind_keepsTheWords_andAdvisesByItsRemedy_data();
}

void tst_AdapterFailureText::withItsBase_everyKind_advisesLoadingNotAttaching()
{
    // An adapter's row on the Local models page loads its base with it: the user loads again,
    // and nothing of the model stays loaded to attach to.
    QFETCH(ErrorKind, kind);
    const QString text = models::LocalEngine::adapterFailureText(
        QStringLiteral("the engine's own sentence"), kind,
        models::LocalEngine::AdapterStep::LoadWithBase);
    QVERIFY2(text.startsWith(QStringLiteral("Loading failed: the LoRA adapter could not be "
                                            "attached to its base model: the engine's own "
                                            "sentence. ")),
             qPrintable(text));
    QCOMPARE(text.count(QStringLiteral("attach")), 1); // "could not be attached", no advice
    QCOMPARE(text.contains(QStringLiteral("load again")), enginehost::mayPassOnRetry(kind));
    QCOMPARE(text.contains(QStringLiteral("loading it again fails the same way")),
             !enginehost::mayPassOnRetry(kind));
}

QTEST_MAIN(tst_AdapterFailureText)
#include "tst_adapterfailuretext.moc"
