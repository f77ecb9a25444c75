#include "runcurvesview.h"

// The warnings of a RunCurvesView: the detectors run at the next quiet moment while points
// stream, the list below the charts (hidden while nothing is flagged), a marker on the chart
// at each flagged point, and a click on a row centring its chart there (the panels, toolbar
// and export are in runcurvesview.cpp).

#include <models/runwarninglistmodel.h>
#include <models/runwarnings.h>
#include <widgets/curvechart.h>

#include <QLabel>
#include <QLayout>
#include <QListView>
#include <QScrollArea>
#include <QSplitter>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace ui {

using models::PanelGroup;

void RunCurvesView::scheduleWarnings()
{
    if (!m_warningsTimer->isActive())
        m_warningsTimer->start();
}

void RunCurvesView::updateWarningsNow()
{
    m_warningsTimer->stop();
    QList<models::RunWarningListModel::Entry> entries;
    for (int r = 0; r < m_runs.size(); ++r)
        for (const models::RunWarning &w : models::detectRunWarnings(m_runs[r]))
            entries.append({r, m_runs.size() > 1 ? m_runs[r].name : QString(), w});
    m_warningsModel->setEntries(entries);
    m_warningsTitle->setText(
        tr("Warnings (%1): click one to see it on its chart").arg(entries.size()));
    m_noWarnings->setVisible(entries.isEmpty());
    if (entries.isEmpty()) {
        m_warningsBox->hide();
    } else if (m_warningsBox->isHidden()) {
        // The charts get the room; the list comes in as high as its first few rows (the
        // splitter resizes it), whatever size it had when it was last shown.
        m_warningsBox->show();
        int rows = 2 * m_warningsView->frameWidth() + 2;
        for (int r = 0; r < std::min<int>(int(entries.size()), 5); ++r)
            rows += std::max(m_warningsView->sizeHintForRow(r), fontMetrics().height());
        const int total = std::max(m_split->height(), 1);
        const int spacing = m_warningsBox->layout()->spacing();
        const int list = std::min(m_warningsTitle->sizeHint().height() + spacing +
                                      std::max(rows, 3 * fontMetrics().height()),
                                  total / 3);
        m_split->setSizes({total - list, list});
    }
    updateMarkers();
}

void RunCurvesView::updateMarkers()
{
    QMap<PanelGroup, QList<widgets::CurveMarker>> markers;
    for (int row = 0; row < m_warningsModel->rowCount(); ++row) {
        const auto &e = m_warningsModel->entry(row);
        const int s = m_runs[e.run].indexOf(e.warning.series);
        const PanelGroup g = models::panelGroupFor(e.warning.series);
        const double x = xOf(e.run, s, e.warning.warning.index);
        if (!std::isfinite(x))
            continue;
        const double y = m_runs[e.run].series[s].points[e.warning.warning.index].y();
        markers[g].append(
            {x, std::isfinite(y) ? y : qQNaN(), m_warningsModel->index(row).data().toString()});
    }
    for (auto it = m_panels.begin(); it != m_panels.end(); ++it)
        it->chart->setMarkers(markers.value(it.key()));
}

void RunCurvesView::focusWarning(int row)
{
    if (row < 0 || row >= m_warningsModel->rowCount())
        return;
    const auto &e = m_warningsModel->entry(row);
    const int s = m_runs[e.run].indexOf(e.warning.series);
    const PanelGroup g = models::panelGroupFor(e.warning.series);
    auto it = m_panels.find(g);
    if (s < 0 || it == m_panels.end())
        return;
    const double x = xOf(e.run, s, e.warning.warning.index);
    if (!std::isfinite(x))
        return;
    m_scroll->ensureWidgetVisible(it->box, 0, 0);
    // A window a tenth of the data wide (or the current one when that is narrower) around x.
    const QList<QPointF> pts = displayPoints(e.run, s);
    double span = pts.size() > 1 ? (pts.last().x() - pts.first().x()) / 10.0 : 1.0;
    if (it->chart->isZoomed())
        span = std::min(span, it->chart->visibleRange().width());
    if (!(span > 0))
        span = 1.0;
    it->chart->setXRange(x - span / 2, x + span / 2);
    m_warningsView->setCurrentIndex(m_warningsModel->index(row));
}

} // namespace ui
