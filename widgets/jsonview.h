#pragma once

#include <QWidget>

class QPlainTextEdit;
class QTreeWidget;

namespace widgets {

//! A JSON document two ways: a tree of every field (key, value) and the indented text.
//! Invalid JSON is shown as text with the parser's error above it.
class JsonView : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Tree, Text };
    explicit JsonView(Mode mode, QWidget *parent = nullptr);
    void setJson(const QByteArray &json);

private:
    Mode m_mode;
    QTreeWidget *m_tree = nullptr;
    QPlainTextEdit *m_text = nullptr;
};

} // namespace widgets
