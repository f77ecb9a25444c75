// libFuzzer target for the JSON view of a resource's detail pane and of the dataset preview
// (widgets/jsonview: JsonView::setJson shows any answer or file row as a tree of fields and as
// indented text). The same bytes go to both modes. Besides "no crash, no sanitizer report":
// - bad JSON shows "Not valid JSON (<why> at offset N)" with N inside the input (or just past
//   its end, where Qt's parser puts an unterminated string's error);
// - good JSON shows text that reads back as the same document (round trip);
// - the tree has one row per value of the document (top-level fields in order), each with
//   its whole value as its tooltip.

#include <widgets/jsonview.h>

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTreeWidget>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

//! Values below `v` (each field of an object, each element of an array), all levels.
qsizetype valuesBelow(const QJsonValue &v)
{
    qsizetype n = 0;
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            n += 1 + valuesBelow(it.value());
    } else if (v.isArray()) {
        for (const QJsonValue &e : v.toArray())
            n += 1 + valuesBelow(e);
    }
    return n;
}

//! Rows below `item`, all levels; every row's value is whole in its tooltip.
qsizetype rowsBelow(const QTreeWidgetItem *item)
{
    qsizetype n = 0;
    for (int i = 0; i < item->childCount(); ++i) {
        const QTreeWidgetItem *child = item->child(i);
        if (child->toolTip(1) != child->text(1))
            std::abort(); // a long value cut off with no way to read it whole
        n += 1 + rowsBelow(child);
    }
    return n;
}

} // namespace

namespace {

struct Views
{
    widgets::JsonView *tree;
    widgets::JsonView *text;
};

//! The application and the two views, made once, with a first document shown (fonts loaded).
Views &views()
{
    static int argc = 1;
    static char name[] = "fuzz_json_view";
    static char *argv[] = {name, nullptr};
    static Views v = [] {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        new QApplication(argc, argv);
        Views made{new widgets::JsonView(widgets::JsonView::Mode::Tree),
                   new widgets::JsonView(widgets::JsonView::Mode::Text)};
        made.tree->setJson(R"({"a":[1,"b",{"c":null}]})");
        made.text->setJson(R"({"a":[1,"b",{"c":null}]})");
        made.text->setJson("not json");
        return made;
    }();
    return v;
}

} // namespace

// fontconfig (under Qt's font database) keeps what it allocates for the life of the process;
// LeakSanitizer, which libFuzzer runs whenever an input ends with more allocations than it
// began with (a cache of Qt's growing), would report that at every such input.
extern "C" const char *__lsan_default_suppressions()
{
    return "leak:libfontconfig.so\n";
}

// libFuzzer calls this once before the inputs (the corpus driver does not: views() is lazy).
extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    (void)views();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    widgets::JsonView *tree = views().tree;
    widgets::JsonView *text = views().text;
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);

    text->setJson(json);
    const QString shown = text->findChild<QPlainTextEdit *>()->toPlainText();
    if (doc.isNull() && !json.isEmpty()) {
        static const QRegularExpression where(QStringLiteral("^Not valid JSON \\((.+) at offset "
                                                             "(\\d+)\\):\\n"));
        const QRegularExpressionMatch m = where.match(shown);
        if (!m.hasMatch())
            std::abort(); // bad JSON shown without the parser's error and where it is
        bool ok = false;
        const qlonglong offset = m.captured(2).toLongLong(&ok);
        // Qt's parser points one past the end at an unterminated string ("\"abc": offset 5).
        if (!ok || offset < 0 || offset > qlonglong(size) + 1)
            std::abort(); // a location outside the input
    } else if (!doc.isNull()) {
        QJsonParseError again{};
        if (QJsonDocument::fromJson(shown.toUtf8(), &again) != doc) {
            std::fprintf(stderr, "shown (%s at %d):\n%s\n", qPrintable(again.errorString()),
                         again.offset, qPrintable(shown));
            std::abort(); // the indented text is not the document it shows
        }
    }

    tree->setJson(json);
    const QTreeWidget *view = tree->findChild<QTreeWidget *>();
    const QTreeWidgetItem *root = view->invisibleRootItem();
    const QJsonValue top = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    if (rowsBelow(root) != valuesBelow(top))
        std::abort(); // a value missing from the tree, or one too many
    if (doc.isObject()) {
        const QStringList keys = doc.object().keys();
        if (root->childCount() != keys.size())
            std::abort();
        for (int i = 0; i < root->childCount(); ++i)
            if (root->child(i)->text(0) != keys.at(i))
                std::abort(); // a field shown under another name
    }
    return 0;
}
