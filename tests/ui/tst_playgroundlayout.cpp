// How the Playground's parts fit, found by looking at it in the dark theme at scale factor 2:
// a side-by-side column wraps its replies at its own width (a Chinese sentence or a long run of
// symbols made every line wider than the column, cut off at its edge), a word longer than a
// narrow column (a URL, a long identifier or token, four columns side by side) breaks inside
// the column instead of being cut at its edge, in a reply's text, figures, error and reasoning
// (collapsed and opened; the reasoning was a plain QLabel, 429 px wide in a 290 px column, and
// its bar at the left was never drawn), and the parameters sit at the top of their panel (the
// greedy hint floated in the middle of the spare height), and the Thinking switch is ticked only
// for a target whose template has one (it showed ticked and grey for every platform target).

#include "common/uitesthelpers.h"

#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/chattargets.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/sidebyside.h>
#include <ui/chatmessageviewlabel.h>
#include <ui/chatmessageview.h>
#include <ui/chatparamsform.h>
#include <ui/sidebysideview.h>
#include <ui/theme.h>

#include <QApplication>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEnterEvent>
#include <QHash>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QScopeGuard>
#include <QScrollArea>
#include <QTextBlock>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <cstdlib>
#include <initializer_list>

class tst_PlaygroundLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sideBySideColumns_wrapAtTheirWidth();
    void sideBySideFourColumns_longWordsWrapNotCut();
    void parameters_sitAtTheTop();
    void thinkingSwitch_tickedOnlyWhereItActs_theChoiceKept();
    void seed_takesDigitsOnly_emptyMeansRandom();
    void messages_followAThemeSwitchedWhileShown();
};

namespace {

//! Local targets named `names` whose models are not loaded: columns that show their stored
//! replies and never answer.
QList<models::ChatTarget> notLoadedTargets(std::initializer_list<const char *> names)
{
    QList<models::ChatTarget> out;
    for (const char *name : names) {
        models::ChatTarget t;
        t.kind = models::ChatTarget::Kind::Local;
        t.localDir = QStringLiteral("/models/") + QLatin1String(name);
        t.label = QLatin1String(name) + QStringLiteral(" (not loaded)");
        out << t;
    }
    return out;
}

//! The columns' transcripts of a side-by-side view, as they are on screen.
QList<QScrollArea *> shownColumns(QWidget *view)
{
    QList<QScrollArea *> columns;
    for (QScrollArea *s : view->findChildren<QScrollArea *>())
        if (s->isVisible())
            columns << s;
    return columns;
}

} // namespace

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
    sbs.start(source, notLoadedTargets({"a", "b"}));
    ui::SideBySideView view(&sbs, &targets);
    view.resize(760, 700); // two columns of about 370 pixels
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QList<QScrollArea *> columns = shownColumns(&view);
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

namespace {

//! Pixels of `image` far from its most common colour (the background): the text a person sees.
qsizetype inkOf(const QImage &image)
{
    QHash<QRgb, qsizetype> counts;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            ++counts[image.pixel(x, y)];
    QRgb background = 0;
    qsizetype most = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > most) {
            most = it.value();
            background = it.key();
        }
    const int lightness = QColor(background).lightness();
    qsizetype ink = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            ink += std::abs(QColor(image.pixel(x, y)).lightness() - lightness) > 96 ? 1 : 0;
    return ink;
}

//! The ink of `label`'s text laid out in one very wide line per paragraph: all of it.
qsizetype wholeInkOf(const ui::ChatMessageViewLabel *label)
{
    ui::ChatMessageViewLabel wide;
    wide.setPalette(label->palette());
    wide.setFont(label->font());
    wide.setStyleSheet(label->styleSheet());         // the error's colour
    wide.setForegroundRole(label->foregroundRole()); // the figures' muted one
    wide.setWordWrap(true);
    wide.setTextFormat(label->textFormat());
    wide.setText(label->text());
    wide.resize(6000, wide.heightForWidth(6000));
    return inkOf(wide.grab(wide.contentsRect()).toImage()); // the text, not a border
}

} // namespace

void tst_PlaygroundLayout::sideBySideFourColumns_longWordsWrapNotCut()
{
    QTemporaryDir tmp;
    models::ConversationStore store(tmp.filePath(QStringLiteral("words.sqlite")));
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    const qint64 source = store.createConversation(QStringLiteral("Links"));
    const qint64 user =
        store.addMessage(source, 0, QStringLiteral("user"),
                         QStringLiteral("What does handle_incoming_webhook_payload_for_tenant_"
                                        "configuration_v2 do?"));
    const QString reply = QStringLiteral(
        "See https://example.com/docs/reference/webhooks/handle_incoming_webhook_payload"
        "?tenant=acme-corporation-international for the details.\n\n"
        "The function `handle_incoming_webhook_payload_for_tenant_configuration_v2` reads "
        "the tenant's settings, and the token "
        "QWxhZGRpbjpvcGVuIHNlc2FtZVFXeGhaR1JwYmpwdmNHVnVJSE5sYzJGdFpRPT0K is its key.");
    const qint64 answer = store.addMessage(source, user, QStringLiteral("assistant"), reply);
    QVERIFY(answer);
    // Under the reply where it ran, a model name with no place to break; then a turn whose
    // reply failed with an error naming another.
    models::ReplyStats stats;
    stats.present = true;
    stats.timeToFirstTokenMs = 12;
    stats.tokensPerSecond = 150;
    stats.completionTokens = 60;
    stats.finishReason = QStringLiteral("stop");
    stats.where = QStringLiteral("local CPU, qwen2_5_coder_7b_instruct_support_chats_finetune_v2");
    QVERIFY(store.updateMessage(answer, reply, stats, QString()));
    const qint64 again = store.addMessage(source, answer, QStringLiteral("user"),
                                          QStringLiteral("And the other one?"));
    const qint64 failed = store.addMessage(source, again, QStringLiteral("assistant"), QString());
    QVERIFY(failed);
    QVERIFY(store.updateMessage(
        failed, QString(), {},
        QStringLiteral("The model tenant_configuration_handle_incoming_webhook_payload_v2 is "
                       "not loaded.")));
    // Then a reply of a reasoning model whose reasoning names a URL and an identifier.
    const qint64 third = store.addMessage(source, failed, QStringLiteral("user"),
                                          QStringLiteral("Where is it configured?"));
    QVERIFY(store.addMessage(
        source, third, QStringLiteral("assistant"),
        QStringLiteral("<think>The settings live at https://example.com/admin/tenants/"
                       "acme-corporation-international/webhooks/configuration?view=advanced; "
                       "load_tenant_configuration_for_incoming_webhook_payload_v2 reads them."
                       "</think>\n\nIn the tenant's admin pages.")));
    enginehost::EngineHost host;
    models::LocalEngine engine(&host);
    models::ChatTargets targets(&engine, nullptr);
    models::SideBySide sbs(&store, &host, nullptr);
    sbs.start(source, notLoadedTargets({"a", "b", "c", "d"}));
    ui::SideBySideView view(&sbs, &targets);
    // Four columns in the Playground of a 1600 px wide window: about 300 pixels each, high
    // enough for the whole transcript with the reasoning open. (With a vertical scroll bar the
    // error's red text, 166 px wide, wrapped into 94.8 % of its one-line ink, every letter
    // drawn: anti-aliasing, not a cut.)
    view.resize(1240, 1400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QList<QScrollArea *> columns = shownColumns(&view);
    QCOMPARE(columns.size(), 4);
    for (QScrollArea *s : std::as_const(columns)) {
        QTRY_COMPARE(
            s->widget()->findChildren<ui::ChatMessageViewLabel *>(QStringLiteral("body")).size(),
            6);
        QCoreApplication::processEvents();
        QVERIFY2(s->viewport()->width() < 340, qPrintable(QString::number(s->viewport()->width())));
        // The words wrap inside the column: nothing to scroll sideways for, with the reasoning
        // collapsed ("Thought (…)") and opened.
        auto fits = [s](const char *reasoning) {
            QCoreApplication::processEvents(); // the column takes its new layout
            if (s->widget()->width() <= s->viewport()->width())
                return true;
            qWarning("transcript %d px wide in a %d px column, reasoning %s", s->widget()->width(),
                     s->viewport()->width(), reasoning);
            return false;
        };
        auto *toggle = s->widget()->findChild<QToolButton *>(QStringLiteral("reasoningToggle"));
        for (QToolButton *t :
             s->widget()->findChildren<QToolButton *>(QStringLiteral("reasoningToggle")))
            if (t->isVisible())
                toggle = t; // the reply that has reasoning
        QVERIFY(toggle && toggle->isVisible() && !toggle->isChecked());
        auto *reasoning = toggle->parentWidget()->findChild<QLabel *>(QStringLiteral("reasoning"));
        QVERIFY(reasoning && !reasoning->isVisible());
        QVERIFY(fits("collapsed"));
        QVERIFY(testing::click(toggle));
        QVERIFY(reasoning->isVisible());
        QVERIFY(fits("opened"));
        // The labels a message's text, figures, error and reasoning are in; each must be the
        // wrapping kind.
        QList<ui::ChatMessageViewLabel *> bodies;
        for (const QString &name : {QStringLiteral("body"), QStringLiteral("stats"),
                                    QStringLiteral("error"), QStringLiteral("reasoning")})
            for (QLabel *label : s->widget()->findChildren<QLabel *>(name))
                if (!label->text().isEmpty()) {
                    auto *wrapping = dynamic_cast<ui::ChatMessageViewLabel *>(label);
                    QVERIFY2(wrapping, qPrintable(name));
                    bodies << wrapping;
                }
        // Five turns with text, the figures, the error and the reasoning.
        QCOMPARE(bodies.size(), 8);
        for (ui::ChatMessageViewLabel *body : bodies) {
            QVERIFY(body->width() <= s->viewport()->width());
            const qsizetype whole = wholeInkOf(body);
            QVERIFY(whole > 100);
            // Every letter is drawn, in the label's own document and, once the pointer
            // entered it (text selection), in QLabel's; and its frame (the reasoning's bar at
            // its left) in both.
            QList<QRgb> frame;
            for (const bool pointedAt : {false, true}) {
                if (pointedAt) {
                    const QPointF inside(5, 5);
                    QEnterEvent enter(inside, inside, body->mapToGlobal(inside));
                    QApplication::sendEvent(body, &enter);
                    QVERIFY(!body->drawsOwnDocument());
                    QCoreApplication::processEvents(); // the layout takes QLabel's height
                }
                const qsizetype shown = inkOf(body->grab(body->contentsRect()).toImage());
                QVERIFY2(shown >= whole * 95 / 100,
                         qPrintable(QStringLiteral("%1 of %2 pixels of text drawn (%3) in a "
                                                   "%4 px label: \"%5\"")
                                        .arg(shown)
                                        .arg(whole)
                                        .arg(pointedAt ? QStringLiteral("QLabel")
                                                       : QStringLiteral("own document"))
                                        .arg(body->width())
                                        .arg(body->text().left(40))));
                if (body->contentsRect().left() > 0) {
                    // The bar's middle, and the padding between it and the text.
                    const QImage all = body->grab().toImage();
                    frame << all.pixel(1, body->height() / 2)
                          << all.pixel(body->contentsRect().left() - 1, body->height() / 2);
                }
            }
            if (!frame.isEmpty())
                QVERIFY2(frame[0] == frame[2] && frame[0] != frame[1],
                         qPrintable(QStringLiteral("bar %1 (own document), %2 (QLabel), "
                                                   "padding %3")
                                        .arg(frame[0], 0, 16)
                                        .arg(frame[2], 0, 16)
                                        .arg(frame[1], 0, 16)));
        }
        // Collapsed again, the reasoning takes no room.
        QVERIFY(testing::click(toggle));
        QVERIFY(!reasoning->isVisible());
        QVERIFY(fits("collapsed again"));
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

//! The seed's placeholder said "0" though an empty seed draws a fresh one for every reply, and
//! letters or a minus sign were taken and then dropped without a word.
void tst_PlaygroundLayout::seed_takesDigitsOnly_emptyMeansRandom()
{
    ui::ChatParamsForm form;
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    auto *seed = form.findChild<QLineEdit *>(QStringLiteral("seed"));
    QVERIFY(seed);
    QCOMPARE(seed->placeholderText(), QStringLiteral("random"));
    QVERIFY(!form.params().seed.has_value());
    seed->setFocus();
    QTest::keyClicks(seed, QStringLiteral("-x4a2"));
    QCOMPARE(seed->text(), QStringLiteral("42"));
    QCOMPARE(form.params().seed.value_or(0), quint64(42));
    seed->clear();
    QVERIFY(!form.params().seed.has_value());
}

//! Switched to the dark theme with a conversation on screen, a user turn kept its light box
//! (a style sheet resolves the palette once) and the token tints their near-white under light
//! text; the reply's links are checked as well. New messages were right, so it showed only
//! until the next restart.
void tst_PlaygroundLayout::messages_followAThemeSwitchedWhileShown()
{
    ui::applyTheme(ui::Theme::Light);
    const auto restore = qScopeGuard([] { ui::applyTheme(ui::Theme::System); });
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    models::StoredMessage turn;
    turn.id = 1;
    turn.role = QStringLiteral("user");
    turn.content = QStringLiteral("Where is the river?");
    models::StoredMessage reply;
    reply.id = 2;
    reply.role = QStringLiteral("assistant");
    reply.content = QStringLiteral("See [the river's page](https://example.com/river) for it.");
    auto *turnView = new ui::ChatMessageView(turn, false, &window);
    auto *replyView = new ui::ChatMessageView(reply, false, &window);
    models::TokenProbability sure{QStringLiteral("See"), 0.0, {}};
    replyView->setTokenProbabilities({sure});
    layout->addWidget(turnView);
    layout->addWidget(replyView);
    window.resize(700, 500);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    ui::applyTheme(ui::Theme::Dark);
    QCoreApplication::processEvents();
    const QPalette dark = QApplication::palette();
    const auto near = [](QColor a, QColor b, int within) {
        return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
                   std::abs(a.blue() - b.blue()) <=
               within;
    };
    // The turn's box: above its header, inside the 6 px margin.
    const QImage turnShot = turnView->grab().toImage();
    const QColor box = turnShot.pixelColor(turnShot.width() / 2, 3);
    QVERIFY2(near(box, dark.color(QPalette::AlternateBase), 6), qPrintable(box.name()));
    // The reply's link in the dark palette's link colour.
    auto *body = replyView->findChild<QLabel *>(QStringLiteral("body"));
    QVERIFY(body);
    const QImage bodyShot = body->grab().toImage();
    bool linkSeen = false;
    for (int y = 0; y < bodyShot.height() && !linkSeen; ++y)
        for (int x = 0; x < bodyShot.width() && !linkSeen; ++x)
            linkSeen = near(bodyShot.pixelColor(x, y), dark.color(QPalette::Link), 40);
    QVERIFY2(linkSeen, "no pixel of the dark palette's link colour in the reply");
    // A sure token's tint is the dark base itself, not white.
    auto *tokens = replyView->findChild<QTextBrowser *>(QStringLiteral("tokens"));
    QVERIFY(tokens);
    const QTextCharFormat first = tokens->document()->begin().begin().fragment().charFormat();
    QVERIFY2(near(first.background().color(), dark.color(QPalette::Base), 6),
             qPrintable(first.background().color().name()));
}

void tst_PlaygroundLayout::thinkingSwitch_tickedOnlyWhereItActs_theChoiceKept()
{
    ui::ChatParamsForm form;
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    auto *thinking = form.findChild<QCheckBox *>(QStringLiteral("thinking"));
    QVERIFY(thinking);
    const QString variable = QStringLiteral("enable_thinking");
    auto sent = [&]() -> QVariant {
        const auto o = form.options();
        return o ? o->templateVariables.value(variable) : QVariant();
    };
    auto saved = [&] { // written whatever the options held before
        models::ConversationOptions wasOn, wasOff;
        wasOff.thinking = false;
        form.saveOptionsTo(&wasOn);
        form.saveOptionsTo(&wasOff);
        return wasOn.thinking == wasOff.thinking ? QVariant(wasOn.thinking) : QVariant();
    };

    // A platform target: no switch, so neither ticked nor sent, but the default is kept.
    QVERIFY(!thinking->isEnabled());
    QVERIFY(!thinking->isChecked());
    QVERIFY(!sent().isValid());
    QCOMPARE(saved(), QVariant(true));
    form.setThinkingVariable(variable); // a Qwen3 template: on by default
    QVERIFY(thinking->isEnabled());
    QVERIFY(thinking->isChecked());
    QCOMPARE(sent(), QVariant(true));

    QVERIFY(testing::click(thinking)); // off, then a target without the switch and back
    form.setThinkingVariable({});
    QVERIFY(!thinking->isChecked());
    QCOMPARE(saved(), QVariant(false));
    form.setThinkingVariable(variable);
    QVERIFY(!thinking->isChecked());
    QCOMPARE(sent(), QVariant(false));
    QVERIFY(testing::click(thinking));
    QCOMPARE(sent(), QVariant(true));

    // A conversation opened while the target has no switch keeps its own choice.
    form.setThinkingVariable({});
    models::ConversationOptions off;
    off.thinking = false;
    form.setOptionsFrom(off);
    QVERIFY(!thinking->isChecked());
    QCOMPARE(saved(), QVariant(false));
    form.setThinkingVariable(variable);
    QVERIFY(!thinking->isChecked());
    QCOMPARE(sent(), QVariant(false));
    models::ConversationOptions on;
    form.setOptionsFrom(on);
    QVERIFY(thinking->isChecked());
    QCOMPARE(saved(), QVariant(true));
}

QTEST_MAIN(tst_PlaygroundLayout)
#include "tst_playgroundlayout.moc"
