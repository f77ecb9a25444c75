// The JSON view (widgets/jsonview) of the detail pane and the dataset preview: the text mode's
// plain text, which is what a person reads and copies, is the document it shows, also when a
// string holds characters the text editor turns into line breaks or spaces (U+2028, U+2029,
// U+FDD0, U+FDD1, U+00A0; fuzz/json_view checks the same on any input); bad JSON names the
// parser's error and where.

#include <widgets/jsonview.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QTest>

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
