#include "chatmessageview.h"

#include <models/conversationstore.h>

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace ui {

ChatMessageView::ChatMessageView(const models::StoredMessage &message, bool streaming,
                                 QWidget *parent)
    : QWidget(parent), m_id(message.id)
{
    const bool reply = message.role == QLatin1String("assistant");
    setObjectName(reply ? QStringLiteral("reply") : QStringLiteral("turn"));
    setAttribute(Qt::WA_StyledBackground);
    setStyleSheet(reply
                      ? QString()
                      : QStringLiteral("ui--ChatMessageView { background: palette(alternate-base); "
                                       "border-radius: 6px; }"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);

    auto *header = new QHBoxLayout;
    auto *who = new QLabel(reply ? tr("<b>Assistant</b>") : tr("<b>You</b>"), this);
    header->addWidget(who);
    if (message.versionCount > 1) {
        auto *previous = new QToolButton(this);
        previous->setText(QStringLiteral("‹"));
        previous->setToolTip(tr("Previous version"));
        previous->setEnabled(message.version > 1 && !streaming);
        auto *which = new QLabel(
            QStringLiteral("%1/%2").arg(message.version).arg(message.versionCount), this);
        which->setObjectName(QStringLiteral("version"));
        auto *next = new QToolButton(this);
        next->setText(QStringLiteral("›"));
        next->setToolTip(tr("Next version"));
        next->setEnabled(message.version < message.versionCount && !streaming);
        connect(previous, &QToolButton::clicked, this,
                [this] { Q_EMIT versionRequested(m_id, -1); });
        connect(next, &QToolButton::clicked, this, [this] { Q_EMIT versionRequested(m_id, +1); });
        header->addWidget(previous);
        header->addWidget(which);
        header->addWidget(next);
    }
    header->addStretch();
    auto *copy = new QToolButton(this);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy this message's text"));
    connect(copy, &QToolButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_content); });
    header->addWidget(copy);
    if (!streaming) {
        auto *action = new QToolButton(this);
        action->setText(reply ? tr("Regenerate") : tr("Edit"));
        action->setToolTip(reply ? tr("Write a new version of this reply; this one is kept")
                                 : tr("Edit this message and send it again as a new branch"));
        if (reply)
            connect(action, &QToolButton::clicked, this,
                    [this] { Q_EMIT regenerateRequested(m_id); });
        else
            connect(action, &QToolButton::clicked, this,
                    [this] { Q_EMIT editRequested(m_id, m_content); });
        if (!reply)
            m_edit = action;
        header->addWidget(action);
    }
    layout->addLayout(header);

    m_body = new QLabel(this);
    m_body->setObjectName(QStringLiteral("body"));
    m_body->setWordWrap(true);
    m_body->setTextFormat(reply ? Qt::MarkdownText : Qt::PlainText);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard |
                                    Qt::LinksAccessibleByMouse);
    m_body->setOpenExternalLinks(true);
    layout->addWidget(m_body);
    setContent(message.content);

    if (reply && streaming) {
        auto *status = new QLabel(tr("writing…"), this);
        status->setObjectName(QStringLiteral("stats"));
        status->setEnabled(false);
        layout->addWidget(status);
    } else if (reply && !message.error.isEmpty()) {
        auto *row = new QHBoxLayout;
        auto *error = new QLabel(message.error, this);
        error->setObjectName(QStringLiteral("error"));
        error->setWordWrap(true);
        error->setStyleSheet(QStringLiteral("color: #c0392b"));
        error->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *retry = new QPushButton(tr("Retry"), this);
        connect(retry, &QPushButton::clicked, this, [this] { Q_EMIT retryRequested(m_id); });
        row->addWidget(error, 1);
        row->addWidget(retry);
        layout->addLayout(row);
    } else if (reply) {
        auto *stats = new QLabel(statsText(message.stats), this);
        stats->setObjectName(QStringLiteral("stats"));
        stats->setWordWrap(true); // a narrow side-by-side column still shows where it ran
        stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QFont small = stats->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        stats->setFont(small);
        stats->setForegroundRole(QPalette::PlaceholderText);
        layout->addWidget(stats);
    }
}

void ChatMessageView::setEditAllowed(bool allowed)
{
    if (m_edit)
        m_edit->setVisible(allowed);
}

void ChatMessageView::setContent(const QString &markdown)
{
    m_content = markdown;
    m_body->setText(markdown);
}

QString ChatMessageView::statsText(const models::ReplyStats &s)
{
    if (!s.present)
        return {};
    QStringList parts;
    parts << tr("TTFT %1 ms").arg(s.timeToFirstTokenMs, 0, 'f', 0);
    parts << tr("%1 tok/s").arg(s.tokensPerSecond, 0, 'f', 1);
    parts << tr("%n token(s)", nullptr, int(s.completionTokens));
    parts << s.finishReason;
    parts << s.where;
    return parts.join(QStringLiteral(" · "));
}

} // namespace ui
