#pragma once

// The playground's side-by-side: two to four columns, each a target picker and a transcript,
// under one message box. Send goes to every column and the replies stream in parallel with
// their figures; a column can be added (up to four) or removed (down to two). The columns can
// be exported together as Markdown or JSON.

#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace models {
struct ChatTarget;
class ChatTargets;
class SideBySide;
} // namespace models

namespace ui {

//! Fills `combo` with `targets` (item data: the target's key), keeping `keepKey` selected when
//! it is still there; `noneText` when the list is empty. Emits no signal.
void fillTargetCombo(QComboBox *combo, const QList<models::ChatTarget> &targets,
                     const QString &keepKey, const QString &noneText);

class SideBySideView : public QWidget
{
    Q_OBJECT
public:
    //! Neither is owned.
    SideBySideView(models::SideBySide *sideBySide, models::ChatTargets *targets,
                   QWidget *parent = nullptr);

    //! Writes the columns as Markdown or JSON (whole or not at all).
    bool exportTo(const QString &path, bool json, QString *error = nullptr);
    QPlainTextEdit *input() const { return m_input; }
    //! Sends the message box's text to every column, as the Send button does.
    void send();

Q_SIGNALS:
    //! Send was pressed: the page sets the columns' system prompt and parameters now.
    void aboutToSend();
    void closeRequested();

private:
    void rebuildColumns();
    void updateTargets();
    void updateActions();
    void exportWithDialog(bool json);

    models::SideBySide *m_sideBySide; // not owned
    models::ChatTargets *m_targets;   // not owned
    QHBoxLayout *m_columnsLayout;
    QList<QWidget *> m_columnWidgets;
    QPushButton *m_add, *m_exportMarkdown, *m_exportJson, *m_close;
    QPlainTextEdit *m_input;
    QPushButton *m_send, *m_stop;
    QLabel *m_problem;
};

} // namespace ui
