#pragma once

#include <QHeaderView>

namespace widgets {

//! A table header whose section names end in "…" when their column is narrower (eight runs
//! sharing the width of a compare table). Qt 6.4's QHeaderView ignores its textElideMode, and
//! cut centred names at both ends. The whole name belongs in the model's tooltip.
class ElidingHeaderView : public QHeaderView
{
public:
    using QHeaderView::QHeaderView;
    //! The section's text as painted.
    QString shownText(int logicalIndex) const;

protected:
    void initStyleOptionForIndex(QStyleOptionHeader *option, int logicalIndex) const override;
};

} // namespace widgets
