#pragma once

#include <client/trainingjobs.h>

#include <QWidget>

class QLabel;
class QTableWidget;

namespace client {
class ApiClient;
}
namespace widgets {
class JsonView;
}

namespace ui {

//! The job view's Parameters tab: every documented hyperparameter of the job's kind with the
//! job's value and the default it overrides (out-of-range values flagged), then the job's JSON.
class JobParametersTab : public QWidget
{
    Q_OBJECT
public:
    explicit JobParametersTab(client::ApiClient *api, QWidget *parent = nullptr); // not owned
    void setJob(const client::TrainingJob &job);

    QTableWidget *table() const { return m_table; }

    enum Column { ParameterColumn, ValueColumn, DefaultColumn, RangeColumn, FieldColumn };

private:
    QLabel *m_summary;
    QTableWidget *m_table;
    widgets::JsonView *m_json;
    QByteArray m_shownRaw; // the JSON on screen, so an unchanged refresh keeps the scroll place
};

} // namespace ui
