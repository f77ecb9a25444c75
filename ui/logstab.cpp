#include "logstab.h"

#include <client/trainingjobrules.h>

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSyntaxHighlighter>
#include <QVBoxLayout>

namespace ui {

//! Colours WARNING and ERROR lines and marks every match of the search text.
class LogHighlighter : public QSyntaxHighlighter
{
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;
    void setSearch(const QString &text)
    {
        if (text == m_search)
            return;
        m_search = text;
        rehighlight();
    }

protected:
    void highlightBlock(const QString &text) override
    {
        const models::LogLevel level = models::parseLogLevel(text);
        if (level == models::LogLevel::Error || level == models::LogLevel::Warning) {
            QTextCharFormat f;
            f.setForeground(level == models::LogLevel::Error ? QColor(0xc6, 0x28, 0x28)
                                                             : QColor(0xb2, 0x6a, 0x00));
            setFormat(0, int(text.size()), f);
        }
        if (m_search.isEmpty())
            return;
        QTextCharFormat hit;
        hit.setBackground(QColor(0xff, 0xeb, 0x3b));
        hit.setForeground(Qt::black);
        for (qsizetype at = text.indexOf(m_search, 0, Qt::CaseInsensitive); at >= 0;
             at = text.indexOf(m_search, at + m_search.size(), Qt::CaseInsensitive))
            setFormat(int(at), int(m_search.size()), hit);
    }

private:
    QString m_search;
};

LogsTab::LogsTab(client::ApiClient *api, QWidget *parent)
    : QWidget(parent), m_tail(new models::LogTail(api, this))
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_level = new QComboBox(this);
    m_level->setObjectName(QStringLiteral("logLevelFilter"));
    m_level->addItem(tr("All levels"), int(MinLevel::All));
    m_level->addItem(tr("Info and above"), int(MinLevel::Info));
    m_level->addItem(tr("Warnings and errors"), int(MinLevel::Warning));
    m_level->addItem(tr("Errors only"), int(MinLevel::Error));
    m_level->setToolTip(tr("Show only lines of this level or above"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("logSearch"));
    m_search->setPlaceholderText(tr("Search the log"));
    m_search->setClearButtonEnabled(true);
    m_matchLabel = new QLabel(this);
    m_matchLabel->setObjectName(QStringLiteral("logMatches"));
    m_copy = new QPushButton(tr("C&opy"), this);
    m_copy->setObjectName(QStringLiteral("logCopy"));
    m_copy->setToolTip(tr("Copy the selected lines, or every line shown when none is selected"));
    auto *levelLabel = new QLabel(tr("Le&vel:"), this);
    levelLabel->setBuddy(m_level);
    bar->addWidget(levelLabel);
    bar->addWidget(m_level);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_matchLabel);
    bar->addWidget(m_copy);
    layout->addLayout(bar);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("logMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setReadOnly(true);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_view, 1);
    m_highlighter = new LogHighlighter(m_view->document());

    connect(m_level, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
    connect(m_search, &QLineEdit::textChanged, this, [this] { updateSearch(); });
    connect(m_copy, &QPushButton::clicked, this, [this] { copy(); });
    connect(m_tail, &models::LogTail::reset, this, [this] { rebuild(); });
    connect(m_tail, &models::LogTail::linesAppended, this, &LogsTab::append);
    connect(m_tail, &models::LogTail::availabilityChanged, this, [this] { updateMessage(); });
    connect(m_tail, &models::LogTail::fetchFinished, this, [this](bool ok, const QString &why) {
        m_fetchError = ok ? QString() : why;
        updateMessage();
    });
    updateMessage();
}

LogsTab::~LogsTab() = default;

void LogsTab::setJob(const client::TrainingJob &job)
{
    m_tail->setJob(job);
    updateMessage();
}

void LogsTab::setMinLevel(MinLevel level)
{
    m_level->setCurrentIndex(m_level->findData(int(level)));
}

bool LogsTab::passes(const models::LogLine &line) const
{
    const auto min = MinLevel(m_level->currentData().toInt());
    switch (min) {
    case MinLevel::All:
        return true;
    case MinLevel::Info:
        return line.level == models::LogLevel::Info || line.level == models::LogLevel::Warning ||
               line.level == models::LogLevel::Error;
    case MinLevel::Warning:
        return line.level == models::LogLevel::Warning || line.level == models::LogLevel::Error;
    case MinLevel::Error:
        return line.level == models::LogLevel::Error;
    }
    return true;
}

void LogsTab::rebuild()
{
    QStringList shown;
    for (const models::LogLine &line : m_tail->lines())
        if (passes(line))
            shown.append(line.text);
    m_view->setPlainText(shown.join(QLatin1Char('\n')));
    updateSearch();
    updateMessage();
}

void LogsTab::append(int first, int count)
{
    QScrollBar *scroll = m_view->verticalScrollBar();
    const bool following = scroll->value() >= scroll->maximum() - 2;
    QStringList shown;
    for (int i = first; i < first + count; ++i)
        if (passes(m_tail->lines().at(i)))
            shown.append(m_tail->lines().at(i).text);
    if (!shown.isEmpty())
        m_view->appendPlainText(shown.join(QLatin1Char('\n')));
    if (following) // keep following the end unless the user scrolled up to read
        scroll->setValue(scroll->maximum());
    updateSearch();
    updateMessage();
}

QString LogsTab::visibleText() const
{
    return m_view->toPlainText();
}

void LogsTab::updateSearch()
{
    const QString needle = m_search->text();
    m_highlighter->setSearch(needle);
    m_matches =
        needle.isEmpty() ? 0 : int(m_view->toPlainText().count(needle, Qt::CaseInsensitive));
    // English plurals written out: Firedeck ships no translations to resolve %n forms.
    m_matchLabel->setText(needle.isEmpty() ? QString()
                          : m_matches == 1 ? tr("1 match")
                                           : tr("%1 matches").arg(m_matches));
}

void LogsTab::updateMessage()
{
    QString text;
    switch (m_tail->availability()) {
    case models::LogTail::Availability::Unknown:
        text = tr("No job.");
        break;
    case models::LogTail::Availability::NotYet:
        text = tr("No trainer log yet: the server publishes it once the job starts.");
        break;
    case models::LogTail::Availability::NotOffered:
        text = tr("The server offers no logs for this job. (The platform publishes trainer "
                  "logs only for accounts with trainer-log access.)");
        break;
    case models::LogTail::Availability::Available:
        if (m_tail->lines().isEmpty())
            text = tr("The log is empty so far.");
        else if (m_tail->isPolling())
            text =
                m_tail->lines().size() == 1
                    ? tr("Following the trainer log live: 1 line.")
                    : tr("Following the trainer log live: %1 lines.").arg(m_tail->lines().size());
        else
            text =
                m_tail->lines().size() == 1
                    ? tr("Trainer log: 1 line; the job has ended.")
                    : tr("Trainer log: %1 lines; the job has ended.").arg(m_tail->lines().size());
        break;
    }
    if (!m_fetchError.isEmpty())
        text += QLatin1Char(' ') + tr("Reading the log failed: %1").arg(m_fetchError);
    m_message->setText(text);
    m_view->setVisible(m_tail->availability() == models::LogTail::Availability::Available);
}

void LogsTab::copy()
{
    const QString selected = m_view->textCursor().selectedText();
    // QTextCursor returns paragraph separators (U+2029) between lines.
    QString text = selected.isEmpty() ? visibleText() : selected;
    text.replace(QChar(QChar::ParagraphSeparator), QLatin1Char('\n'));
    QApplication::clipboard()->setText(text);
}

} // namespace ui
