#pragma once

// The curve chart tests' shared set-up: a chart wired to models/curvemath as every page wires
// it (ui::wireCurveMath), shown at 800 x 500, and where things are on it.

#include <models/curvemath.h>
#include <ui/runcurvesview.h>
#include <widgets/curvechart.h>

#include <QApplication>
#include <QFile>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>

#include <cmath>
#include <limits>
#include <memory>

namespace testing {

using widgets::CurveChart;
using widgets::CurveSeries;

inline QList<QPointF> curve(int n, double (*f)(int), int firstX = 0)
{
    QList<QPointF> out;
    for (int i = 0; i < n; ++i)
        out.append(QPointF(firstX + i, f(firstX + i)));
    return out;
}

inline QLineSeries *lineNamed(CurveChart &chart, const QString &name)
{
    for (QAbstractSeries *s : chart.chart()->series()) {
        if (s->name() == name)
            return qobject_cast<QLineSeries *>(s);
    }
    return nullptr;
}

//! Where the legend shows `name`, in viewport coordinates (found in the legend's items).
inline QPoint legendEntry(CurveChart &chart, const QString &name)
{
    QList<QGraphicsItem *> todo = chart.chart()->legend()->childItems();
    while (!todo.isEmpty()) {
        QGraphicsItem *item = todo.takeFirst();
        todo.append(item->childItems());
        auto *text = dynamic_cast<QGraphicsTextItem *>(item);
        auto *simple = dynamic_cast<QGraphicsSimpleTextItem *>(item);
        const QString shown = text ? text->toPlainText() : simple ? simple->text() : QString();
        if (item->isVisible() && shown == name)
            return chart.mapFromScene(item->sceneBoundingRect().center());
    }
    return {-1, -1};
}

inline QPoint plotPoint(CurveChart &chart, double fx, double fy)
{
    const QRectF plot = chart.chart()->plotArea();
    return chart.mapFromScene(chart.chart()->mapToScene(
        QPointF(plot.left() + fx * plot.width(), plot.top() + fy * plot.height())));
}

//! A chart of `series`, shown and drawn; null when the window did not appear.
inline std::unique_ptr<CurveChart> shownChart(const QList<CurveSeries> &series)
{
    auto chart = std::make_unique<CurveChart>();
    ui::wireCurveMath(chart.get());
    chart->resize(800, 500);
    chart->setSeries(series);
    chart->show();
    if (!QTest::qWaitForWindowExposed(chart.get()))
        return nullptr;
    chart->refreshNow();
    return chart;
}

} // namespace testing
