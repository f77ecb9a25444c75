#pragma once

// What overviewpage.cpp (the layout) and overviewpagerender.cpp (filling it from the snapshot)
// share: the columns of the Overview's lists. Not for other files.

namespace ui::overview {

enum ListColumn { KindColumn, NameColumn, StateColumn, TimeColumn };

enum DeploymentColumn {
    DeploymentNameColumn,
    DeploymentStateColumn,
    ReplicasColumn,
    AcceleratorColumn,
    BaseModelColumn
};

} // namespace ui::overview
