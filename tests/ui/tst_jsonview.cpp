// The JSON view (widgets/jsonview) of the detail pane and the dataset preview: the text mode's
// plain text, which is what a person reads and copies, is the document it shows, also when a
// string holds characters the text editor turns into line breaks or spaces (U+2028, U+2029,
// U+FDD0, U+FDD1, U+00A0; fuzz/json_view checks the same on any input); bad JSON names the
// parser's error and where; in the tree, long names elide in the middle, other values at the end.

#include <widgets/jsonview.h>

#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QPlainTextEdit>
#include <QStyledItemDelegate>
#include <QTest>
#include <QTreeWidget>

class tst_JsonView : public QObject
{
    Q_OBJECT

private:
    static QString shownText(const QByteArray &json)
    {
        widgets::JsonView view(widgets::JsonView::Mode::Text);
        view.setJson(json);
        return view.findChild<QPlainTextEdit *>(QStringLiteral("jsonText"))->toPlainText();
    }

    //! What `delegate` paints for the value cell `index` of `tree`, given `mode`.
    static QImage paintValue(const QAbstractItemDelegate *delegate, const QTreeWidget *tree,
                             const QModelIndex &index, Qt::TextElideMode mode)
    {
        QStyleOptionViewItem option;
        option.initFrom(tree->viewport());
        option.rect = QRect(0, 0, tree->columnWidth(1), tree->visualRect(index).height());
        option.textElideMode = mode;
        QImage image(option.rect.size(), QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        delegate->paint(&painter, option, index);
        return image;
    }

private Q_SLOTS:
    void text_readsBackAsTheSameDocument_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("line separator") << QByteArray(R"({"a":"x\u2028y"})");
        QTest::newRow("paragraph separator") << QByteArray(R"({"a":"x\u2029y"})");
        QTest::newRow("no-break space") << QByteArray(R"({"a":"x\u00a0y"})");
        QTest::newRow("U+FDD0 U+FDD1 in a key") << QByteArray(R"({"k\ufdd0\ufdd1":[1]})");
        QTest::newRow("raw UTF-8") << QByteArray("[\"x\xe2\x80\xa8y\xc2\xa0z\"]");
        QTest::newRow("plain") << QByteArray(R"({"a":[1,2.5,{"b":null}],"c":"d\ne"})");
    }
    void text_readsBackAsTheSameDocument()
    {
        QFETCH(QByteArray, json);
        const QJsonDocument doc = QJsonDocument::fromJson(json);
        QVERIFY(!doc.isNull());
        const QString shown = shownText(json);
        QJsonParseError error{};
        const QJsonDocument again = QJsonDocument::fromJson(shown.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(shown));
        QVERIFY2(again == doc, qPrintable(shown));
        // One line per line of the indented document: no line break inside a string.
        QCOMPARE(shown.count(QLatin1Char('\n')), doc.toJson(QJsonDocument::Indented).count('\n'));
    }

    //! A long resource name loses its middle (two names differing at their end stay apart),
    //! a long time or message its end (the date and hour stay readable).
    void tree_longValuesElide_namesInTheMiddle_restAtTheEnd()
    {
        const QString name = QStringLiteral(
            "accounts/local/models/llama-3-1-8b-instruct-support-chats-finetune-run-a1");
        const QString time = QStringLiteral("2026-12-06T18:47:37.174123456Z");
        const QString message =
            QStringLiteral("Simulated platform deployment served by the local sandbox");
        widgets::JsonView view(widgets::JsonView::Mode::Tree);
        view.setJson(QJsonDocument(QJsonObject{{QStringLiteral("name"), name},
                                               {QStringLiteral("createTime"), time},
                                               {QStringLiteral("message"), message}})
                         .toJson());
        view.resize(260, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *tree = view.findChild<QTreeWidget *>(QStringLiteral("jsonTree"));
        QVERIFY(tree);
        const QStyledItemDelegate plain;
        for (int row = 0; row < tree->topLevelItemCount(); ++row) {
            const QString value = tree->topLevelItem(row)->text(1);
            QVERIFY2(tree->fontMetrics().horizontalAdvance(value) > tree->columnWidth(1),
                     qPrintable(value + QStringLiteral(" fits; the test needs it elided")));
            const QModelIndex index = tree->model()->index(row, 1);
            const Qt::TextElideMode expected = value == name ? Qt::ElideMiddle : Qt::ElideRight;
            const Qt::TextElideMode other =
                expected == Qt::ElideMiddle ? Qt::ElideRight : Qt::ElideMiddle;
            const QImage shown =
                paintValue(tree->itemDelegateForColumn(1) ? tree->itemDelegateForColumn(1)
                                                          : tree->itemDelegate(),
                           tree, index, Qt::ElideLeft);
            QVERIFY2(shown == paintValue(&plain, tree, index, expected), qPrintable(value));
            QVERIFY2(shown != paintValue(&plain, tree, index, other), qPrintable(value));
        }
    }

    void badJson_namesTheErrorAndWhere()
    {
        const QString shown = shownText(R"({"a":[1,2)");
        QVERIFY2(shown.startsWith(QStringLiteral("Not valid JSON (")) &&
                     shown.contains(QStringLiteral(" at offset ")),
                 qPrintable(shown));
        QVERIFY(shown.endsWith(QStringLiteral(R"({"a":[1,2)")));
    }
};

QTEST_MAIN(tst_JsonView)
#include "tst_jsonview.moc"
