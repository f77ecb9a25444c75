#include "runcurvesview.h"

#include <models/curvemath.h>
#include <models/panelexport.h>
#include <models/runwarninglistmodel.h>
#include <widgets/curvechart.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

using models::PanelGroup;
using widgets::CurveChart;

void wireCurveMath(CurveChart *chart)
{
    chart->setReducer([](const QList<QPointF> &p, double x0, double x1, int width) {
        return models::reduceMinMax(p, x0, x1, width);
    });
    chart->setSmoother([](const QList<QPointF> &p, double w) { return models::smoothEma(p, w); });
    chart->setSmootherExtension(&models::smoothEmaExtend);
    chart->setRangeFinder(
        [](const QList<QPointF> &p, double x0, double x1, bool robust, bool positive) {
            models::RangeOptions o;
            o.mode = robust ? models::RangeMode::Robust : models::RangeMode::Full;
            o.positiveOnly = positive;
            const models::ValueRange r = models::yRange(p, x0, x1, o);
            return widgets::CurveRange{r.lo, r.hi, r.valid};
        });
}

namespace {

//! Distinct colours for runs (Tableau 10), so overlaid runs are told apart at a glance.
QColor runColor(int run)
{
    static const QList<QColor> colors = {QColor(0x1f77b4), QColor(0xff7f0e), QColor(0x2ca02c),
                                         QColor(0xd62728), QColor(0x9467bd), QColor(0x8c564b),
                                         QColor(0xe377c2), QColor(0x17becf)};
    return colors[run % colors.size()];
}

QString slug(const QString &text)
{
    QString s = text.toLower();
    s.replace(QLatin1Char(' '), QLatin1Char('-'));
    return s;
}

} // namespace

RunCurvesView::RunCurvesView(QWidget *parent)
    : QWidget(parent), m_warningsModel(new models::RunWarningListModel(this)),
      m_warningsTimer(new QTimer(this))
{
    auto *toolbar = new QHBoxLayout;
    toolbar->addWidget(new QLabel(tr("X axis:"), this));
    m_axisCombo = new QComboBox(this);
    m_axisCombo->setObjectName(QStringLiteral("xAxis"));
    m_axisCombo->addItem(tr("Step"), int(XAxis::Step));
    m_axisCombo->addItem(tr("Epoch"), int(XAxis::Epoch));
    m_axisCombo->addItem(tr("Wall time"), int(XAxis::WallTime));
    toolbar->addWidget(m_axisCombo);
    toolbar->addSpacing(12);
    toolbar->addWidget(new QLabel(tr("Smoothing:"), this));
    m_smoothingSlider = new QSlider(Qt::Horizontal, this);
    m_smoothingSlider->setObjectName(QStringLiteral("smoothing"));
    m_smoothingSlider->setRange(0, 99);
    m_smoothingSlider->setValue(60);
    m_smoothingSlider->setMaximumWidth(160);
    m_smoothingSlider->setToolTip(
        tr("Exponential moving average as in TensorBoard (debiased); the raw curve stays faint "
           "behind the smoothed one"));
    toolbar->addWidget(m_smoothingSlider);
    m_smoothingLabel = new QLabel(this);
    m_smoothingLabel->setMinimumWidth(32);
    toolbar->addWidget(m_smoothingLabel);
    m_logY = new QCheckBox(tr("Log y"), this);
    m_logY->setObjectName(QStringLiteral("logY"));
    toolbar->addWidget(m_logY);
    m_ignoreOutliers = new QCheckBox(tr("Ignore outliers"), this);
    m_ignoreOutliers->setObjectName(QStringLiteral("ignoreOutliers"));
    m_ignoreOutliers->setChecked(true);
    m_ignoreOutliers->setToolTip(tr("The y range leaves out the top and bottom 1% of values, so "
                                    "one spike does not flatten the rest of the curve"));
    toolbar->addWidget(m_ignoreOutliers);
    m_legend = new QCheckBox(tr("Legend"), this);
    m_legend->setObjectName(QStringLiteral("legend"));
    m_legend->setChecked(true);
    m_legend->setToolTip(tr("Click a legend entry to hide or show its curve"));
    toolbar->addWidget(m_legend);
    auto *reset = new QPushButton(tr("Reset zoom"), this);
    reset->setObjectName(QStringLiteral("resetZoom"));
    reset->setToolTip(tr("Back to all the data (double-click or Home on a chart does the same "
                         "for that chart)"));
    toolbar->addWidget(reset);
    toolbar->addStretch(1);
    // While nothing is flagged the list below the charts is hidden (an empty pane under the
    // charts took their room); this says the checks run.
    m_noWarnings = new QLabel(tr("No warnings"), this);
    m_noWarnings->setObjectName(QStringLiteral("noWarnings"));
    m_noWarnings->setForegroundRole(QPalette::PlaceholderText);
    m_noWarnings->setToolTip(tr("Loss spikes, NaN/inf, divergence, flat reward and overfitting "
                                "are checked as the points arrive"));
    toolbar->addWidget(m_noWarnings);

    m_panelHost = new QWidget;
    m_panelLayout = new QVBoxLayout(m_panelHost);
    m_empty = new QLabel(tr("No curves yet."), m_panelHost);
    m_empty->setAlignment(Qt::AlignCenter);
    m_panelLayout->addWidget(m_empty);
    m_panelLayout->addStretch(1);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_panelHost);

    m_warningsBox = new QWidget(this);
    m_warningsBox->setObjectName(QStringLiteral("warningsPane"));
    auto *warningsLayout = new QVBoxLayout(m_warningsBox);
    warningsLayout->setContentsMargins(0, 0, 0, 0);
    m_warningsTitle = new QLabel(m_warningsBox);
    warningsLayout->addWidget(m_warningsTitle);
    m_warningsView = new QListView(m_warningsBox);
    m_warningsView->setObjectName(QStringLiteral("warnings"));
    m_warningsView->setModel(m_warningsModel);
    m_warningsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_warningsView->setWordWrap(true);
    warningsLayout->addWidget(m_warningsView);

    m_split = new QSplitter(Qt::Vertical, this);
    m_split->addWidget(m_scroll);
    m_split->addWidget(m_warningsBox);
    m_split->setStretchFactor(0, 4);
    m_split->setStretchFactor(1, 1);
    m_split->setCollapsible(0, false);
    // Hidden, the pane takes no room and leaves no handle: the charts have the whole height.
    m_warningsBox->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(toolbar);
    layout->addWidget(m_split, 1);

    m_warningsTimer->setSingleShot(true);
    m_warningsTimer->setInterval(400); // detectors run at most this often while points stream
    connect(m_warningsTimer, &QTimer::timeout, this, &RunCurvesView::updateWarningsNow);
    connect(m_axisCombo, &QComboBox::currentIndexChanged, this,
            [this] { setXAxis(XAxis(m_axisCombo->currentData().toInt())); });
    connect(m_smoothingSlider, &QSlider::valueChanged, this, [this](int v) {
        m_smoothingLabel->setText(QString::number(v / 100.0, 'f', 2));
        for (const Panel &p : std::as_const(m_panels))
            p.chart->setSmoothing(v / 100.0);
    });
    connect(m_logY, &QCheckBox::toggled, this, [this](bool on) {
        for (const Panel &p : std::as_const(m_panels))
            p.chart->setLogY(on);
    });
    connect(m_ignoreOutliers, &QCheckBox::toggled, this, [this](bool on) {
        for (const Panel &p : std::as_const(m_panels))
            p.chart->setIgnoreOutliers(on);
    });
    connect(m_legend, &QCheckBox::toggled, this, [this](bool on) {
        for (const Panel &p : std::as_const(m_panels))
            p.chart->chart()->legend()->setVisible(on);
    });
    connect(reset, &QPushButton::clicked, this, [this] {
        for (const Panel &p : std::as_const(m_panels))
            p.chart->resetZoom();
    });
    connect(m_warningsView, &QListView::clicked, this,
            [this](const QModelIndex &index) { focusWarning(index.row()); });
    connect(m_warningsView, &QListView::activated, this,
            [this](const QModelIndex &index) { focusWarning(index.row()); });
    m_smoothingLabel->setText(QString::number(m_smoothingSlider->value() / 100.0, 'f', 2));
    updateWarningsNow();
}

RunCurvesView::~RunCurvesView() = default;

double RunCurvesView::smoothing() const
{
    return m_smoothingSlider->value() / 100.0;
}

void RunCurvesView::setSmoothing(double weight)
{
    m_smoothingSlider->setValue(int(std::lround(std::clamp(weight, 0.0, 0.99) * 100)));
}

void RunCurvesView::setXAxis(XAxis axis)
{
    const int i = m_axisCombo->findData(int(axis));
    if (m_axisCombo->currentIndex() != i)
        m_axisCombo->setCurrentIndex(i); // comes back here through the signal
    if (m_xAxis == axis)
        return;
    m_xAxis = axis;
    for (Panel &p : m_panels)
        p.curves.clear(); // other x values: every chart starts over at full range
    for (const Panel &p : std::as_const(m_panels))
        p.chart->setSeries({});
    rebuild();
}

QString RunCurvesView::axisTitle() const
{
    switch (m_xAxis) {
    case XAxis::Epoch:
        return QStringLiteral("epoch");
    case XAxis::WallTime:
        return QStringLiteral("seconds");
    case XAxis::Step:
        break;
    }
    return QStringLiteral("step");
}

double RunCurvesView::wallOrigin(int run) const
{
    double t0 = qInf();
    for (const models::RunSeries &s : m_runs[run].series)
        for (double t : s.wallTimes)
            if (std::isfinite(t))
                t0 = std::min(t0, t);
    return t0;
}

double RunCurvesView::xOf(int run, int series, qsizetype index) const
{
    const models::TrainingRun &r = m_runs[run];
    const models::RunSeries &s = r.series[series];
    if (index < 0 || index >= s.points.size())
        return qQNaN();
    switch (m_xAxis) {
    case XAxis::Epoch:
        return r.stepsPerEpoch > 0 ? s.points[index].x() / r.stepsPerEpoch : qQNaN();
    case XAxis::WallTime:
        return index < s.wallTimes.size() ? s.wallTimes[index] - wallOrigin(run) : qQNaN();
    case XAxis::Step:
        break;
    }
    return s.points[index].x();
}

QList<QPointF> RunCurvesView::displayPoints(int run, int series, qsizetype from) const
{
    const models::RunSeries &s = m_runs[run].series[series];
    QList<QPointF> out;
    out.reserve(s.points.size() - from);
    const double origin = m_xAxis == XAxis::WallTime ? wallOrigin(run) : 0;
    const double perEpoch = m_runs[run].stepsPerEpoch;
    for (qsizetype i = from; i < s.points.size(); ++i) {
        const double y = s.points[i].y();
        if (!std::isfinite(y))
            continue; // NaN/inf cannot be drawn; the warnings list and markers flag them
        double x = s.points[i].x();
        if (m_xAxis == XAxis::Epoch)
            x = perEpoch > 0 ? x / perEpoch : qQNaN();
        else if (m_xAxis == XAxis::WallTime)
            x = i < s.wallTimes.size() ? s.wallTimes[i] - origin : qQNaN();
        if (std::isfinite(x))
            out.append(QPointF(x, y));
    }
    return out;
}

QString RunCurvesView::curveLabel(const CurveRef &ref) const
{
    const QString series = m_runs[ref.run].series[ref.series].name;
    return m_runs.size() > 1 ? m_runs[ref.run].name + QStringLiteral(" · ") + series : series;
}

QColor RunCurvesView::curveColor(const CurveRef &ref, int indexInPanel) const
{
    if (m_runs.size() <= 1)
        return runColor(indexInPanel);
    // One colour per run; a run's second, third... series in a panel are darker shades of it.
    int shade = 0;
    for (int i = 0; i < ref.series; ++i)
        if (models::panelGroupFor(m_runs[ref.run].series[i].name) ==
            models::panelGroupFor(m_runs[ref.run].series[ref.series].name))
            ++shade;
    return runColor(ref.run).darker(100 + 35 * shade);
}

RunCurvesView::Panel &RunCurvesView::ensurePanel(PanelGroup group)
{
    auto it = m_panels.find(group);
    if (it != m_panels.end())
        return *it;
    Panel p;
    p.box = new QWidget(m_panelHost);
    p.box->setObjectName(QStringLiteral("panel-") + slug(models::panelGroupTitle(group)));
    auto *v = new QVBoxLayout(p.box);
    v->setContentsMargins(0, 6, 0, 0);
    auto *header = new QHBoxLayout;
    p.title = new QLabel(QStringLiteral("<b>%1</b>").arg(models::panelGroupTitle(group)), p.box);
    header->addWidget(p.title);
    header->addStretch(1);
    auto *exportButton = new QToolButton(p.box);
    exportButton->setObjectName(QStringLiteral("export"));
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(exportButton);
    const QList<std::pair<QString, ExportFormat>> formats = {
        {tr("Series as CSV…"), ExportFormat::Csv},
        {tr("Series as JSON…"), ExportFormat::Json},
        {tr("Chart as PNG…"), ExportFormat::Png},
        {tr("Chart as SVG…"), ExportFormat::Svg}};
    for (const auto &[text, format] : formats) {
        QAction *a = menu->addAction(text);
        a->setObjectName(QStringLiteral("export") + QString::number(int(format)));
        connect(a, &QAction::triggered, this,
                [this, group, format = format] { exportFromButton(group, format); });
    }
    exportButton->setMenu(menu);
    header->addWidget(exportButton);
    v->addLayout(header);
    p.chart = new CurveChart(p.box);
    p.chart->setObjectName(QStringLiteral("chart"));
    p.chart->setMinimumHeight(260);
    wireCurveMath(p.chart);
    p.chart->setSmoothing(smoothing());
    p.chart->setLogY(m_logY->isChecked());
    p.chart->setIgnoreOutliers(m_ignoreOutliers->isChecked());
    p.chart->chart()->legend()->setVisible(m_legend->isChecked());
    connect(p.chart, &CurveChart::plotAreaChanged, this, &RunCurvesView::scheduleEdgeAlignment);
    v->addWidget(p.chart);
    return *m_panels.insert(group, p);
}

void RunCurvesView::rebuild()
{
    // Which curves each panel shows now.
    QMap<PanelGroup, QList<CurveRef>> wanted;
    for (int r = 0; r < m_runs.size(); ++r)
        for (int s = 0; s < m_runs[r].series.size(); ++s)
            wanted[models::panelGroupFor(m_runs[r].series[s].name)].append({r, s});
    // Panels that lost all their curves go.
    for (auto it = m_panels.begin(); it != m_panels.end();) {
        if (!wanted.contains(it.key())) {
            delete it->box;
            it = m_panels.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = wanted.begin(); it != wanted.end(); ++it) {
        Panel &p = ensurePanel(it.key());
        QList<widgets::CurveSeries> series;
        for (int i = 0; i < it.value().size(); ++i) {
            const CurveRef &ref = it.value()[i];
            series.append(
                {curveLabel(ref), displayPoints(ref.run, ref.series), curveColor(ref, i)});
        }
        // A panel that already showed curves keeps the user's zoom across the rebuild.
        const bool keepZoom = !p.curves.isEmpty() && p.chart->isZoomed();
        const QRectF view = p.chart->visibleRange();
        p.curves = it.value();
        p.chart->setSeries(series);
        if (keepZoom)
            p.chart->setXRange(view.left(), view.right());
        p.chart->chart()->setTitle(QString());
        p.chart->chart()->axes(Qt::Horizontal).value(0)->setTitleText(axisTitle());
    }
    // Lay the panels out in group order.
    // takeAt() hands the layout item over (the widget stays with its parent): delete it.
    while (QLayoutItem *item = m_panelLayout->takeAt(0))
        delete item;
    m_panelLayout->addWidget(m_empty);
    m_empty->setVisible(m_panels.isEmpty());
    for (PanelGroup g : models::allPanelGroups())
        if (m_panels.contains(g))
            m_panelLayout->addWidget(m_panels[g].box);
    m_panelLayout->addStretch(1);
    alignPanels();
    scheduleWarnings();
}

void RunCurvesView::alignPanels()
{
    double lo = qInf(), hi = -qInf();
    for (const Panel &p : std::as_const(m_panels)) {
        const auto [from, to] = p.chart->dataXRange();
        lo = std::min(lo, from);
        hi = std::max(hi, to);
    }
    for (const Panel &p : std::as_const(m_panels))
        p.chart->setXExtent(lo, hi);
}

void RunCurvesView::scheduleEdgeAlignment()
{
    // After the layout pass that moved a plot area, once for all panels.
    if (m_edgeAlignmentQueued)
        return;
    m_edgeAlignmentQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_edgeAlignmentQueued = false;
        alignPlotEdges();
    });
}

void RunCurvesView::alignPlotEdges()
{
    qreal left = 0;
    for (const Panel &p : std::as_const(m_panels))
        left = std::max(left, p.chart->naturalPlotLeft());
    for (const Panel &p : std::as_const(m_panels))
        p.chart->setPlotLeftPadding(left - p.chart->naturalPlotLeft());
}

void RunCurvesView::setRuns(const QList<models::TrainingRun> &runs)
{
    const bool sameRuns = runs.size() == m_runs.size();
    m_runs = runs;
    if (!sameRuns)
        for (Panel &p : m_panels)
            p.curves.clear(); // other runs: no zoom to keep
    rebuild();
}

void RunCurvesView::appendPoints(int index, const models::TrainingRun &source,
                                 const QList<models::AppendedRange> &ranges)
{
    if (index < 0 || index >= m_runs.size())
        return;
    models::TrainingRun &run = m_runs[index];
    bool newSeries = false;
    QList<std::pair<int, qsizetype>> grown; // series, first new point
    for (const models::AppendedRange &r : ranges) {
        if (r.series < 0 || r.series >= source.series.size())
            continue;
        const models::RunSeries &from = source.series[r.series];
        int s = run.indexOf(from.name);
        if (s < 0) {
            run.series.append(models::RunSeries{from.name, {}, {}});
            s = int(run.series.size() - 1);
            newSeries = true;
        }
        models::RunSeries &to = run.series[s];
        const qsizetype known = to.points.size();
        if (from.points.size() > known) {
            to.points += from.points.mid(known);
            if (!from.wallTimes.isEmpty())
                to.wallTimes += from.wallTimes.mid(known);
        }
        grown.append({s, known});
    }
    run.stepsPerEpoch = source.stepsPerEpoch;
    run.finished = source.finished;
    run.parameters = source.parameters;
    if (newSeries) {
        rebuild();
        return;
    }
    for (const auto &[s, from] : grown) {
        const PanelGroup g = models::panelGroupFor(run.series[s].name);
        auto it = m_panels.find(g);
        if (it == m_panels.end())
            continue;
        for (int c = 0; c < it->curves.size(); ++c) {
            if (it->curves[c].run != index || it->curves[c].series != s)
                continue;
            const QList<QPointF> pts = displayPoints(index, s, from);
            if (pts.isEmpty())
                continue;
            // The chart takes appends beyond its last x only (a restarted step counter is not
            // one): anything else redraws the panels.
            double lastX = -qInf();
            for (qsizetype i = from - 1; i >= 0; --i)
                if (std::isfinite(run.series[s].points[i].y())) {
                    lastX = xOf(index, s, i);
                    break;
                }
            if (pts.first().x() < lastX) {
                rebuild();
                return;
            }
            it->chart->appendPoints(c, pts);
        }
    }
    alignPanels();
    scheduleWarnings();
}

QList<PanelGroup> RunCurvesView::panels() const
{
    QList<PanelGroup> out;
    for (PanelGroup g : models::allPanelGroups())
        if (m_panels.contains(g))
            out.append(g);
    return out;
}

CurveChart *RunCurvesView::chart(PanelGroup group) const
{
    auto it = m_panels.find(group);
    return it == m_panels.end() ? nullptr : it->chart;
}

QStringList RunCurvesView::curveLabels(PanelGroup group) const
{
    QStringList out;
    auto it = m_panels.find(group);
    if (it != m_panels.end())
        for (const CurveRef &ref : it->curves)
            out.append(curveLabel(ref));
    return out;
}

bool RunCurvesView::exportPanel(PanelGroup group, ExportFormat format, const QString &path,
                                QString *error)
{
    auto it = m_panels.find(group);
    if (it == m_panels.end()) {
        if (error)
            *error = tr("There is no %1 panel").arg(models::panelGroupTitle(group));
        return false;
    }
    if (format == ExportFormat::Png)
        return it->chart->exportPng(path, error);
    if (format == ExportFormat::Svg)
        return it->chart->exportSvg(path, error);
    models::PanelExport data;
    data.panel = models::panelGroupTitle(group);
    data.xAxis = axisTitle();
    data.smoothing = smoothing();
    for (const CurveRef &ref : std::as_const(it->curves)) {
        // Raw values as recorded (NaN included), smoothed with the panel's weight.
        const models::RunSeries &s = m_runs[ref.run].series[ref.series];
        QList<QPointF> raw;
        for (qsizetype i = 0; i < s.points.size(); ++i) {
            const double x = xOf(ref.run, ref.series, i);
            if (std::isfinite(x))
                raw.append(QPointF(x, s.points[i].y()));
        }
        data.series.append(
            {m_runs[ref.run].name, s.name, raw, models::smoothEma(raw, data.smoothing)});
    }
    const QByteArray bytes =
        format == ExportFormat::Csv ? models::panelExportCsv(data) : models::panelExportJson(data);
    return models::writeFileAtomically(path, bytes, error);
}

void RunCurvesView::exportFromButton(PanelGroup group, ExportFormat format)
{
    static const char *const ext[] = {"csv", "json", "png", "svg"};
    static const char *const filters[] = {"CSV (*.csv)", "JSON (*.json)", "PNG image (*.png)",
                                          "SVG image (*.svg)"};
    const QString base = m_runs.size() == 1 ? m_runs.first().name : QStringLiteral("runs");
    const QString suggested =
        QStringLiteral("%1-%2.%3")
            .arg(base, slug(models::panelGroupTitle(group)), QLatin1String(ext[int(format)]));
    const QString filter = QLatin1String(filters[int(format)]);
    const QString path = m_savePath
                             ? m_savePath(suggested, filter)
                             : QFileDialog::getSaveFileName(this, tr("Export"), suggested, filter);
    if (path.isEmpty())
        return;
    QString error;
    const bool ok = exportPanel(group, format, path, &error);
    Q_EMIT exported(path, ok, ok ? tr("Saved %1").arg(path) : error);
}

} // namespace ui
