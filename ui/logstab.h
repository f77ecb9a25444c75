#pragma once

#include <client/trainingjobs.h>
#include <models/logtail.h>

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace client {
class ApiClient;
}

namespace ui {

class LogHighlighter;

//! The job view's Logs tab: the job's trainer log tailed live (models::LogTail fetches only
//! new bytes), a level filter, search with every match highlighted, and Copy. Says plainly when
//! the server offers no log for the job.
class LogsTab : public QWidget
{
    Q_OBJECT
public:
    explicit LogsTab(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    ~LogsTab() override;
    //! The job, fresh from every poll of the job view.
    void setJob(const client::TrainingJob &job);

    //! Lowest level shown (Other/Debug show everything).
    enum class MinLevel { All, Info, Warning, Error };
    void setMinLevel(MinLevel level);

    QPlainTextEdit *view() const { return m_view; }
    QLabel *messageLabel() const { return m_message; }
    const models::LogTail &tail() const { return *m_tail; }
    //! The lines shown (after the level filter), one per line.
    QString visibleText() const;
    int matchCount() const { return m_matches; }

private:
    bool passes(const models::LogLine &line) const;
    void rebuild();
    void append(int first, int count);
    void updateMessage();
    void updateSearch();
    void copy();

    models::LogTail *m_tail; // owned (child)
    QComboBox *m_level;
    QLineEdit *m_search;
    QLabel *m_matchLabel;
    QPushButton *m_copy;
    QLabel *m_message;
    QPlainTextEdit *m_view;
    LogHighlighter *m_highlighter; // owned by the document
    QString m_fetchError;
    int m_matches = 0;
};

} // namespace ui
