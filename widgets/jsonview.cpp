#include "jsonview.h"

#include <QAction>
#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QPlainTextEdit>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace widgets {

namespace {

//! Resource names (accounts/x/models/base-…-v2 and …-v3) differ at their end: elided at the
//! end they looked the same, so a value with a '/' loses its middle. Other values (times,
//! messages, enums) read from their start and lose their end, as everywhere else.
class FieldValueDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode =
            option->text.contains(QLatin1Char('/')) ? Qt::ElideMiddle : Qt::ElideRight;
    }
};

QString scalarText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 15);
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QStringLiteral("[%1]").arg(v.toArray().size());
    case QJsonValue::Object:
        return QStringLiteral("{%1}").arg(v.toObject().size());
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

void addChildren(QTreeWidgetItem *parent, const QJsonValue &value)
{
    auto add = [parent](const QString &key, const QJsonValue &v) {
        auto *item = new QTreeWidgetItem(parent, {key, scalarText(v)});
        item->setToolTip(1, item->text(1));
        addChildren(item, v);
    };
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            add(it.key(), it.value());
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            add(QString::number(i), a.at(i));
    }
}

//! The indented text of `doc` as the text view shows it. QPlainTextEdit's plain text (what
//! is read and copied) turns U+2028, U+2029, U+FDD0 and U+FDD1 into line breaks and U+00A0
//! into a space; toJson writes them raw inside strings, so a copied document had a raw line
//! break in a string (invalid JSON) or another value (fuzz/json_view checks it). As \uXXXX
//! escapes, valid only inside strings and the only place they occur, it is the same document.
QString indentedText(const QJsonDocument &doc)
{
    QString text = QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    for (const char16_t c : {u'\u00a0', u'\u2028', u'\u2029', u'\ufdd0', u'\ufdd1'})
        text.replace(QChar(c), QStringLiteral("\\u%1").arg(int(c), 4, 16, QLatin1Char('0')));
    return text;
}

} // namespace

JsonView::JsonView(Mode mode, QWidget *parent) : QWidget(parent), m_mode(mode)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    if (mode == Mode::Tree) {
        m_tree = new QTreeWidget(this);
        m_tree->setObjectName(QStringLiteral("jsonTree"));
        m_tree->setAccessibleName(tr("Fields"));
        m_tree->setHeaderLabels({tr("Field"), tr("Value")});
        m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
        m_tree->setAlternatingRowColors(true);
        m_tree->setUniformRowHeights(true);
        // A long value is elided (a name in the middle, see FieldValueDelegate); the whole value
        // is in the tooltip, and Ctrl+C or the context menu copy it whole.
        m_tree->setItemDelegateForColumn(1, new FieldValueDelegate(m_tree));
        m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(m_tree, &QWidget::customContextMenuRequested, this,
                [this](const QPoint &pos) { showMenu(pos); });
        layout->addWidget(m_tree);
    } else {
        m_text = new QPlainTextEdit(this);
        m_text->setObjectName(QStringLiteral("jsonText"));
        m_text->setAccessibleName(tr("JSON"));
        m_text->setReadOnly(true);
        m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
        layout->addWidget(m_text);
    }
}

void JsonView::showMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = m_tree->itemAt(pos);
    if (!item)
        return;
    m_tree->setCurrentItem(item, m_tree->columnAt(pos.x()));
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("fieldMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    // The item's own text: never what the column shows elided.
    const QString value = item->text(1);
    const QString field = item->text(0);
    connect(menu->addAction(tr("Copy &value")), &QAction::triggered, this,
            [value] { QGuiApplication::clipboard()->setText(value); });
    connect(menu->addAction(tr("Copy &field name")), &QAction::triggered, this,
            [field] { QGuiApplication::clipboard()->setText(field); });
    menu->popup(m_tree->viewport()->mapToGlobal(pos));
}

void JsonView::setJson(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (m_mode == Mode::Text) {
        if (doc.isNull() && !json.isEmpty())
            m_text->setPlainText(tr("Not valid JSON (%1 at offset %2):\n%3")
                                     .arg(error.errorString())
                                     .arg(error.offset)
                                     .arg(QString::fromUtf8(json)));
        else
            m_text->setPlainText(indentedText(doc));
        return;
    }
    m_tree->clear();
    auto *root = m_tree->invisibleRootItem();
    addChildren(root, doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
    m_tree->expandToDepth(0);
}

} // namespace widgets
