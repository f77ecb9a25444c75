// How the Playground's parts fit, found by looking at it in the dark theme at scale factor 2:
// a side-by-side column wraps its replies at its own width (a Chinese sentence or a long run of
// symbols made every line wider than the column, cut off at its edge), and the parameters sit
// at the top of their panel (the greedy hint floated in the middle of the spare height).

#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/chattargets.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/sidebyside.h>
#include <ui/chatparamsform.h>
#include <ui/sidebysideview.h>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QScrollArea>
#include <QTemporaryDir>
#include <QTest>

class tst_PlaygroundLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sideBySideColumns_wrapAtTheirWidth();
    void parameters_sitAtTheTop();
};

void tst_PlaygroundLayout::sideBySideColumns_wrapAtTheirWidth()
{
    QTemporaryDir tmp;
    models::ConversationStore store(tmp.filePath(QStringLiteral("layout.sqlite")));
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    const qint64 source = store.createConversation(QStringLiteral("Rivers"));
    const qint64 user =
        store.addMessage(source, 0, QStringLiteral("user"), QStringLiteral("Name a river."));
    const QString reply =
        QStringLiteral(
            "长江是中国最长的河流，也是世界第三长的河流，它流经许多省份和城市，最后注入东海。"
            "\n\n") +
        QString(70, QLatin1Char('*')) +
        QStringLiteral("\n\nThe **Yangtze** flows east for about 6300 km, from the Tibetan "
                       "Plateau to the sea at Shanghai.");
    QVERIFY(store.addMessage(source, user, QStringLiteral("assistant"), reply));
    enginehost::EngineHost host;
    models::LocalEngine engine(&host);
    models::ChatTargets targets(&engine, nullptr);
    models::SideBySide sbs(&store, &host, nullptr);
    models::ChatTarget a, b;
    a.kind = b.kind = models::ChatTarget::Kind::Local;
    a.localDir = QStringLiteral("/models/a");
    b.localDir = QStringLiteral("/models/b");
    a.label = QStringLiteral("a (not loaded)");
    b.label = QStringLiteral("b (not loaded)");
    sbs.start(source, {a, b});
    ui::SideBySideView view(&sbs, &targets);
    view.resize(760, 700); // two columns of about 370 pixels
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QList<QScrollArea *> columns;
    for (QScrollArea *s : view.findChildren<QScrollArea *>())
        if (s->isVisible())
            columns << s;
    QCOMPARE(columns.size(), 2);
    for (QScrollArea *s : std::as_const(columns)) {
        QTRY_VERIFY(s->widget()->findChild<QLabel *>(QStringLiteral("body")));
        QCoreApplication::processEvents();
        QVERIFY2(s->widget()->width() <= s->viewport()->width(),
                 qPrintable(QStringLiteral("transcript %1 px wide in a %2 px column")
                                .arg(s->widget()->width())
                                .arg(s->viewport()->width())));
    }
}

void tst_PlaygroundLayout::parameters_sitAtTheTop()
{
    ui::ChatParamsForm form;
    form.resize(320, 1000); // far taller than its rows
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    QLabel *greedy = nullptr;
    for (QLabel *l : form.findChildren<QLabel *>())
        if (l->text() == QStringLiteral("Temperature 0 is greedy."))
            greedy = l;
    QVERIFY(greedy);
    QDoubleSpinBox *frequency = nullptr;
    for (QDoubleSpinBox *b : form.findChildren<QDoubleSpinBox *>())
        if (b->accessibleName() == QStringLiteral("Frequency penalty"))
            frequency = b;
    QVERIFY(frequency);
    auto *thinking = form.findChild<QCheckBox *>(QStringLiteral("thinking"));
    QVERIFY(thinking);
    const int line = form.fontMetrics().height();
    // The hint right under the last field, the switches right under the hint, the spare
    // height below everything.
    QVERIFY2(greedy->geometry().top() - frequency->geometry().bottom() < 2 * line,
             qPrintable(QStringLiteral("%1 px between")
                            .arg(greedy->geometry().top() - frequency->geometry().bottom())));
    QVERIFY(thinking->geometry().top() - greedy->geometry().bottom() < 2 * line);
    QVERIFY(thinking->geometry().bottom() < form.height() / 2);
}

QTEST_MAIN(tst_PlaygroundLayout)
#include "tst_playgroundlayout.moc"
