#pragma once

// A set of training runs shown as panels of curves: one CurveChart per panel group (loss,
// reward, evaluation, learning rate, gradient norm, other) in a scroll area, a toolbar (x axis,
// smoothing, log y, ignore outliers, reset zoom, legend), per-panel export (CSV, JSON, PNG,
// SVG) and the list of warnings, whose rows centre their chart on the flagged step. The job's
// Curves tab shows one run; the compare view overlays several, one colour per run.

#include <models/panelgroup.h>
#include <models/trainingrun.h>

#include <QMap>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QListView;
class QModelIndex;
class QScrollArea;
class QSlider;
class QSplitter;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace models {
class RunWarningListModel;
}
namespace widgets {
class CurveChart;
}

namespace ui {

//! Gives `chart` its numbers from models/curvemath (per-pixel min/max, TensorBoard EMA, robust
//! y range), so the chart itself stays free of them; every curve chart of runs is wired so.
void wireCurveMath(widgets::CurveChart *chart);

class RunCurvesView : public QWidget
{
    Q_OBJECT

public:
    enum class XAxis { Step, Epoch, WallTime };
    enum class ExportFormat { Csv, Json, Png, Svg };
    //! Asks where to save (suggested file name, file-dialog filter); empty: cancelled.
    using SavePathProvider = std::function<QString(const QString &, const QString &)>;

    explicit RunCurvesView(QWidget *parent = nullptr);
    ~RunCurvesView() override;

    //! Replaces the runs. Panels that exist before and after keep the user's zoom.
    void setRuns(const QList<models::TrainingRun> &runs);
    int runCount() const { return int(m_runs.size()); }
    const models::TrainingRun &run(int index) const { return m_runs.at(index); }

    //! Live: `source` is the grown run `index`; ranges say which points are new. Only those
    //! are appended to the charts (a zoomed view stays where the user put it).
    void appendPoints(int index, const models::TrainingRun &source,
                      const QList<models::AppendedRange> &ranges);

    //! The panels shown, in display order.
    QList<models::PanelGroup> panels() const;
    widgets::CurveChart *chart(models::PanelGroup group) const;
    //! Curve labels of a panel, in chart order ("train/loss", or "run · train/loss" for
    //! several runs).
    QStringList curveLabels(models::PanelGroup group) const;

    void setXAxis(XAxis axis);
    XAxis xAxis() const { return m_xAxis; }
    //! 0 (off) to 0.99.
    void setSmoothing(double weight);
    double smoothing() const;

    //! Writes a panel in a format; whole or not at all; *error says why on failure.
    bool exportPanel(models::PanelGroup group, ExportFormat format, const QString &path,
                     QString *error = nullptr);
    //! Replaces the file dialog of the export buttons (tests).
    void setSavePathProvider(SavePathProvider provider) { m_savePath = std::move(provider); }

    models::RunWarningListModel *warningsModel() const { return m_warningsModel; }
    QListView *warningsView() const { return m_warningsView; }
    //! Scrolls to the warning's panel and centres its chart on the warning's step.
    void focusWarning(int row);
    //! Recomputes the warnings now instead of at the next quiet moment (tests).
    void updateWarningsNow();

Q_SIGNALS:
    //! An export from the panel buttons finished (ok or not; message for the status line).
    void exported(const QString &path, bool ok, const QString &message);

private:
    struct CurveRef
    {
        int run = 0;
        int series = 0;
    };
    struct Panel
    {
        QWidget *box = nullptr;
        QLabel *title = nullptr;
        widgets::CurveChart *chart = nullptr;
        QList<CurveRef> curves;
    };

    void rebuild();
    //! Every panel's unzoomed x range covers the data of all panels, so a step lines up down
    //! the page (an evaluation every 10 steps under a loss logged every step).
    void alignPanels();
    //! Every panel's plot starts at the same x, whatever the width of its y labels ("2" over
    //! "0.5"), so the grid lines of a step are one line down the page.
    void alignPlotEdges();
    void scheduleEdgeAlignment();
    Panel &ensurePanel(models::PanelGroup group);
    QList<QPointF> displayPoints(int run, int series, qsizetype from = 0) const;
    double xOf(int run, int series, qsizetype index) const;
    double wallOrigin(int run) const;
    QString axisTitle() const;
    QString curveLabel(const CurveRef &ref) const;
    QColor curveColor(const CurveRef &ref, int indexInPanel) const;
    void updateMarkers();
    void exportFromButton(models::PanelGroup group, ExportFormat format);
    void scheduleWarnings();

    QList<models::TrainingRun> m_runs;
    QMap<models::PanelGroup, Panel> m_panels;
    XAxis m_xAxis = XAxis::Step;

    QComboBox *m_axisCombo;
    QSlider *m_smoothingSlider;
    QLabel *m_smoothingLabel;
    QCheckBox *m_logY;
    QCheckBox *m_ignoreOutliers;
    QCheckBox *m_legend;
    QScrollArea *m_scroll;
    QWidget *m_panelHost;
    QVBoxLayout *m_panelLayout;
    QLabel *m_empty;
    QSplitter *m_split;
    QWidget *m_warningsBox; // in m_split below the charts; hidden while there are no warnings
    QLabel *m_warningsTitle;
    QLabel *m_noWarnings; // in the toolbar while m_warningsBox is hidden
    QListView *m_warningsView;
    models::RunWarningListModel *m_warningsModel;
    QTimer *m_warningsTimer;
    bool m_edgeAlignmentQueued = false;
    SavePathProvider m_savePath;
};

} // namespace ui
