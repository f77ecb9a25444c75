#pragma once

#include <QWidget>

class QPlainTextEdit;
class QPoint;
class QTreeWidget;

namespace widgets {

//! A JSON document two ways: a tree of every field (key, value) and the indented text.
//! Invalid JSON is shown as text with the parser's error above it. Long values are elided
//! (resource names in the middle, other values at the end), whole in their tooltip; Ctrl+C and
//! the context menu copy them whole.
class JsonView : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Tree, Text };
    explicit JsonView(Mode mode, QWidget *parent = nullptr);
    void setJson(const QByteArray &json);

private:
    void showMenu(const QPoint &pos);

    Mode m_mode;
    QTreeWidget *m_tree = nullptr;
    QPlainTextEdit *m_text = nullptr;
};

} // namespace widgets
