// CurveChart's visible range: the user's zoom (kept while points append), the reset to the
// data's range, and the extent a chart shares with the other panels of its run.

#include "curvechart.h"

#include <QLogValueAxis>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace widgets {

void CurveChart::resetZoom()
{
    m_xZoomed = false;
    m_yZoomed = false;
    refreshNow();
}

QRectF CurveChart::visibleRange() const
{
    return QRectF(QPointF(m_xMin, m_yMin), QPointF(m_xMax, m_yMax));
}

void CurveChart::onAxisRangeChanged()
{
    if (m_applying)
        return;
    // The user moved the view (rubber band, pan, Qt's right-click zoom out): keep it.
    const double x0 = m_x->min();
    const double x1 = m_x->max();
    const double y0 = m_logY ? m_yLog->min() : m_yLinear->min();
    const double y1 = m_logY ? m_yLog->max() : m_yLinear->max();
    if (x0 != m_xMin || x1 != m_xMax) {
        m_xMin = x0;
        m_xMax = x1;
        m_xZoomed = true;
    }
    if (y0 != m_yMin || y1 != m_yMax) {
        m_yMin = y0;
        m_yMax = y1;
        m_yZoomed = true;
    }
    scheduleRefresh(0);
}

std::pair<double, double> CurveChart::dataXRange() const
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const Curve &c : m_curves) {
        if (!c.visible || c.raw.isEmpty())
            continue;
        lo = std::min(lo, c.raw.first().x());
        hi = std::max(hi, c.raw.last().x());
    }
    return {lo, hi};
}

void CurveChart::setXExtent(double lo, double hi)
{
    const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    if (same(lo, m_xExtentLo) && same(hi, m_xExtentHi))
        return;
    m_xExtentLo = lo;
    m_xExtentHi = hi;
    if (!m_xZoomed)
        scheduleRefresh(appendBatchMs);
}

void CurveChart::setXRange(double lo, double hi)
{
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return;
    m_xMin = lo;
    m_xMax = hi;
    m_xZoomed = true;
    m_yZoomed = false;
    refreshNow();
}

} // namespace widgets
