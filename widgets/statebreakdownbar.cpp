#include "statebreakdownbar.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <cmath>

namespace widgets {

namespace {

// A segment with a non-zero count is never thinner than this, so one FAILED among 500 READY
// stays visible.
constexpr int kMinSegmentPx = 4;

} // namespace

StateBreakdownBar::StateBreakdownBar(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
}

void StateBreakdownBar::setSegments(const QList<Segment> &segments)
{
    m_segments = segments;
    setAccessibleName(summary());
    update();
}

QString StateBreakdownBar::summary() const
{
    QStringList parts;
    for (const Segment &s : m_segments)
        if (s.count > 0)
            parts << QStringLiteral("%1 %2").arg(s.label).arg(s.count);
    return parts.join(QStringLiteral(" · "));
}

QRect StateBreakdownBar::segmentRect(int index) const
{
    if (index < 0 || index >= m_segments.size() || m_segments[index].count <= 0)
        return {};
    int total = 0;
    int nonZero = 0;
    for (const Segment &s : m_segments)
        if (s.count > 0) {
            total += s.count;
            ++nonZero;
        }
    // Every non-zero segment gets the minimum width; the rest is shared by count. Edges come
    // from running totals, so the last segment ends exactly at the right edge.
    const int spare = std::max(0, width() - nonZero * kMinSegmentPx);
    const auto edge = [&](int countBefore, int segmentsBefore) {
        return int(std::lround(double(spare) * countBefore / total)) +
               segmentsBefore * kMinSegmentPx;
    };
    int countBefore = 0;
    int segmentsBefore = 0;
    for (int i = 0; i < index; ++i)
        if (m_segments[i].count > 0) {
            countBefore += m_segments[i].count;
            ++segmentsBefore;
        }
    const int x0 = edge(countBefore, segmentsBefore);
    const int x1 = edge(countBefore + m_segments[index].count, segmentsBefore + 1);
    return QRect(x0, 0, std::max(1, x1 - x0), height());
}

int StateBreakdownBar::segmentAt(int x) const
{
    for (int i = 0; i < m_segments.size(); ++i)
        if (segmentRect(i).contains(x, height() / 2))
            return i;
    return -1;
}

QSize StateBreakdownBar::sizeHint() const
{
    return {fontMetrics().height() * 10, fontMetrics().height() * 2 / 3 + 2};
}

QSize StateBreakdownBar::minimumSizeHint() const
{
    return {fontMetrics().height() * 3, sizeHint().height()};
}

void StateBreakdownBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF all = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const qreal radius = all.height() / 2;
    QPainterPath clip;
    clip.addRoundedRect(all, radius, radius);
    p.setClipPath(clip);
    p.fillRect(rect(), palette().color(QPalette::Midlight));
    for (int i = 0; i < m_segments.size(); ++i) {
        const QRect r = segmentRect(i);
        if (!r.isEmpty())
            p.fillRect(r, m_segments[i].color);
    }
}

bool StateBreakdownBar::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int i = segmentAt(help->pos().x());
        if (i >= 0)
            QToolTip::showText(
                help->globalPos(),
                QStringLiteral("%1: %2").arg(m_segments[i].label).arg(m_segments[i].count), this,
                segmentRect(i));
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace widgets
