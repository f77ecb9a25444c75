#include "overviewpage.h"

#include <models/accountsnapshot.h>

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

OverviewPage::OverviewPage(models::AccountSnapshot *snapshot, QWidget *parent)
    : Page(parent), m_snapshot(snapshot)
{
    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("<h2>Account overview</h2>"), this);
    m_status = new QLabel(this);
    m_refresh = new QPushButton(tr("&Refresh"), this);
    m_refresh->setToolTip(tr("Reload every list (F5)"));
    header->addWidget(title);
    header->addStretch();
    header->addWidget(m_status);
    header->addWidget(m_refresh);
    layout->addLayout(header);
    m_errors = new QLabel(this);
    m_errors->setWordWrap(true);
    m_errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    m_errors->hide();
    layout->addWidget(m_errors);
    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    layout->addWidget(m_text, 1);

    connect(m_refresh, &QPushButton::clicked, m_snapshot, &models::AccountSnapshot::refresh);
    connect(m_snapshot, &models::AccountSnapshot::changed, this, &OverviewPage::render);
    connect(m_snapshot, &models::AccountSnapshot::loadingChanged, this, [this](bool loading) {
        m_status->setText(loading ? tr("Loading…") : tr("Up to date"));
        m_refresh->setEnabled(!loading);
        if (!loading) {
            m_loadedOnce = true;
            Q_EMIT loaded();
        }
    });
}

void OverviewPage::reload()
{
    m_snapshot->refresh();
}

bool OverviewPage::isLoaded() const
{
    return m_loadedOnce && !m_snapshot->isLoading();
}

void OverviewPage::render()
{
    QString text;
    for (const models::ResourceSection &s : m_snapshot->sections()) {
        if (s.title.isEmpty())
            continue;
        text += QStringLiteral("%1 (%2)\n").arg(s.title).arg(s.total);
        if (s.lines.isEmpty())
            text += tr("  none yet\n");
        for (const QString &line : s.lines)
            text += QStringLiteral("  ") + line + QLatin1Char('\n');
        if (s.total > s.lines.size())
            text += tr("  … and %1 more\n").arg(s.total - s.lines.size());
        text += QLatin1Char('\n');
    }
    m_text->setPlainText(text);
    const QStringList errors = m_snapshot->errors();
    m_errors->setVisible(!errors.isEmpty());
    m_errors->setText(errors.join(QLatin1Char('\n')));
}

} // namespace ui
