// CurveChart's curves that do not read well on one shared axis: a curve orders of magnitude
// away from the panel's first curve (train/tokens in millions beside train/epoch from 0 to 3)
// gets the right-hand y axis instead of flattening the other to a line at zero, and a curve that
// repeats another's points exactly (an RFT job's train/reward and reward/Score can be the same
// numbers) is drawn dashed over it and says so in the legend, instead of hiding behind it.

#include "curvechart.h"

#include <QHash>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace widgets {

namespace {

//! Curves whose sizes differ by at least this factor get an axis each.
constexpr double kScaleGap = 100;

//! How large a curve's values are: the larger end of its range; 0 when nothing tells.
double magnitudeOf(const CurveRange &range)
{
    return range.valid ? std::max(std::abs(range.lo), std::abs(range.hi)) : 0;
}

//! The metric a curve shows: "train/loss" of "run-a · train/loss" (the compare view's labels).
QString metricOf(const QString &curveName)
{
    const qsizetype dot = curveName.lastIndexOf(QStringLiteral(" · "));
    return dot < 0 ? curveName : curveName.mid(dot + 3);
}

bool samePoints(const QList<QPointF> &a, const QList<QPointF> &b)
{
    if (a.size() != b.size() || a.isEmpty())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const double tolerance = 1e-9 * std::max(1.0, std::abs(a[i].y()));
        if (a[i].x() != b[i].x() || !(std::abs(a[i].y() - b[i].y()) <= tolerance))
            return false;
    }
    return true;
}

} // namespace

bool CurveChart::assignScaleSides()
{
    // By metric, not by curve: compared runs' train/loss share one axis however far apart
    // they are (a diverging run is read against the others, never rescaled beside them).
    QHash<QString, double> metricSize;
    QString first;
    for (const Curve &c : m_curves) {
        const double m = magnitudeOf(c.range);
        if (!c.visible || !(m > 0))
            continue;
        double &size = metricSize[metricOf(c.name)];
        size = std::max(size, m);
        if (first.isEmpty())
            first = metricOf(c.name);
    }
    // The first metric with a size keeps the left axis; the others go right when they are at
    // least kScaleGap times larger or smaller. A curve at zero fits any axis and stays left.
    const double reference = metricSize.value(first);
    bool moved = false;
    for (Curve &c : m_curves) {
        const double m = metricSize.value(metricOf(c.name));
        const bool right = !m_logY && c.visible && reference > 0 && m > 0 &&
                           (m >= reference * kScaleGap || m * kScaleGap <= reference);
        if (right == c.onRight)
            continue;
        QAbstractAxis *from = c.onRight ? m_yRight : m_yLinear;
        QAbstractAxis *to = right ? m_yRight : m_yLinear;
        // Emptied first: each series gets its points once, against its new axis.
        c.line->clear();
        c.rawLine->clear();
        c.line->detachAxis(from);
        c.rawLine->detachAxis(from);
        c.line->attachAxis(to);
        c.rawLine->attachAxis(to);
        c.onRight = right;
        styleCurve(c);
        moved = true;
    }
    return moved;
}

bool CurveChart::findCoincidingCurves()
{
    bool changed = false;
    for (size_t i = 0; i < m_curves.size(); ++i) {
        int same = -1;
        for (size_t j = 0; j < i && m_curves[i].visible; ++j)
            if (m_curves[j].visible && samePoints(m_curves[i].raw, m_curves[j].raw)) {
                same = int(j);
                break;
            }
        if (same != m_curves[i].sameAs) {
            m_curves[i].sameAs = same;
            styleCurve(m_curves[i]);
            changed = true;
        }
    }
    return changed;
}

void CurveChart::styleCurve(Curve &c)
{
    // Dashed over the curve it repeats, both colours show along the one line; a curve on the
    // right axis is dashed too, as it may run right over one on the left (tokens and epochs
    // both grow with the step) and dashes tell which axis to read.
    QPen pen(c.color, 2);
    if (c.sameAs >= 0 || c.onRight)
        pen.setDashPattern({3, 4}); // short dashes, longer gaps: the curve beneath shows
    c.line->setPen(pen);
    const int index = int(&c - m_curves.data());
    const QString name = legendName(index);
    if (c.line->name() != name)
        c.line->setName(name);
}

QString CurveChart::legendName(int index) const
{
    if (index < 0 || index >= seriesCount())
        return {};
    const Curve &c = m_curves[size_t(index)];
    QStringList notes;
    if (c.onRight)
        notes << tr("right axis");
    if (c.sameAs >= 0) {
        // "run · train/reward (same as reward/Score)": the run both belong to is said once.
        QString other = m_curves[size_t(c.sameAs)].name;
        const qsizetype dot = c.name.lastIndexOf(QStringLiteral(" · "));
        if (dot > 0 && other.startsWith(c.name.left(dot + 3)))
            other = other.mid(dot + 3);
        notes << tr("same as %1").arg(other);
    }
    return notes.isEmpty()
               ? c.name
               : QStringLiteral("%1 (%2)").arg(c.name, notes.join(QStringLiteral("; ")));
}

bool CurveChart::isOnRightAxis(int index) const
{
    return index >= 0 && index < seriesCount() && m_curves[size_t(index)].onRight;
}

} // namespace widgets
