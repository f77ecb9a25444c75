// ResourcePage's detail pane (the selected row's title, links, fields and JSON) and its action
// feedback (the inline error banner, the transient status line): split from resourcepage.cpp,
// which builds the page and loads the list.

#include "resourcepage.h"

#include <ui/errortext.h>

#include <models/resourcelistmodel.h>
#include <widgets/elidedtitle.h>
#include <widgets/errorbanner.h>
#include <widgets/jsonview.h>

#include <client/resourcenames.h>

#include <QAction>
#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

QList<ResourceLink> ResourcePage::linksFor(int) const
{
    return {};
}

void ResourcePage::addDetailWidget(QWidget *widget)
{
    m_detailLayout->insertWidget(m_detailLayout->indexOf(m_links) + 1, widget);
}

void ResourcePage::selectionChanged()
{
    const int row = selectedSourceRow();
    for (const auto &[action, needsSelection] : std::as_const(m_actions))
        if (needsSelection)
            action->setEnabled(row >= 0);
    updateDetails();
}

void ResourcePage::showActionError(const QString &what, const client::ApiError &error)
{
    showActionErrorText(errorText(what, error), error);
}

void ResourcePage::showActionErrorText(const QString &text, const client::ApiError &error)
{
    m_actionBanner->showError(text, errorDetails(error));
}

void ResourcePage::placeActionStatus()
{
    if (m_actionStatus->isHidden())
        return;
    const int margin = 8;
    // On one line where it fits (a word-wrapping label's size hint is a narrow column).
    const int natural =
        m_actionStatus->fontMetrics().horizontalAdvance(m_actionStatus->text()) +
        2 * (m_actionStatus->margin() + m_actionStatus->frameWidth() + 2);
    const int width = std::max(1, std::min(natural, m_stack->width() - 2 * margin));
    const int height = std::max(m_actionStatus->heightForWidth(width),
                                m_actionStatus->fontMetrics().height() + 2 * m_actionStatus->margin());
    m_actionStatus->setGeometry(margin, m_stack->height() - height - margin, width, height);
    m_actionStatus->raise();
}

bool ResourcePage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_stack && event->type() == QEvent::Resize)
        placeActionStatus();
    return Page::eventFilter(watched, event);
}

void ResourcePage::showActionStatus(const QString &text)
{
    m_actionStatus->setText(text);
    m_actionStatus->setVisible(!text.isEmpty());
    placeActionStatus();
    if (text.isEmpty()) {
        m_actionStatusTimer->stop();
        return;
    }
    m_actionBanner->hide();
    m_actionStatusTimer->start();
}

void ResourcePage::updateDetails()
{
    const int row = selectedSourceRow();
    m_copyName->setEnabled(row >= 0);
    if (row < 0) {
        m_detailTitle->setTitle(tr("Nothing selected"));
        // Says what the empty pane is for, once there are rows to pick from.
        m_links->setText(m_model->rowCount() > 0
                             ? tr("Click a row to see its fields and JSON here.")
                             : QString());
        m_links->setVisible(m_model->rowCount() > 0);
        m_fields->setJson("{}");
        m_json->setJson("{}");
        return;
    }
    m_detailTitle->setTitle(m_model->nameAt(row));
    QStringList links;
    for (const ResourceLink &link : linksFor(row))
        links << QStringLiteral("%1: <a href=\"%2|%3\">%4</a>")
                     .arg(link.label.toHtmlEscaped(), link.pageId,
                          link.resourceName.toHtmlEscaped(),
                          client::resourceId(link.resourceName).toHtmlEscaped());
    m_links->setText(links.join(QStringLiteral(" · ")));
    m_links->setVisible(!links.isEmpty());
    const QByteArray raw = m_model->rawJsonAt(row);
    m_fields->setJson(raw);
    m_json->setJson(raw);
}

} // namespace ui
