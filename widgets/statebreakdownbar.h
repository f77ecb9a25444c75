#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QWidget>

namespace widgets {

//! A horizontal bar split into coloured segments, one per state, each as wide as its share of
//! the total ("READY 3 · CREATING 1" drawn as 3:1). Hovering a segment shows its label and
//! count; the accessible name reads all of them. Height follows the font.
class StateBreakdownBar : public QWidget
{
    Q_OBJECT
public:
    struct Segment
    {
        QString label;
        int count = 0;
        QColor color;
    };

    explicit StateBreakdownBar(QWidget *parent = nullptr);

    void setSegments(const QList<Segment> &segments);
    const QList<Segment> &segments() const { return m_segments; }
    //! "READY 3 · CREATING 1" (the legend and the accessible name).
    QString summary() const;

    //! Where segment `index` is drawn (empty for a zero count).
    QRect segmentRect(int index) const;
    //! The segment under x in widget coordinates, or -1.
    int segmentAt(int x) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QList<Segment> m_segments;
};

} // namespace widgets
