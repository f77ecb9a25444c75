#include "jobparameterstab.h"

#include <client/trainingdefaults.h>
#include <widgets/jsonview.h>

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ui {

JobParametersTab::JobParametersTab(client::ApiClient *api, QWidget *parent) : QWidget(parent)
{
    Q_UNUSED(api); // everything it shows is in the job
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("parametersSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table = new QTableWidget(0, 5, splitter);
    m_table->setObjectName(QStringLiteral("parametersTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Parameter"), tr("Value"), tr("Default"), tr("Range / rule"), tr("Field")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setTabKeyNavigation(false);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_json = new widgets::JsonView(widgets::JsonView::Mode::Text, splitter);
    m_json->setObjectName(QStringLiteral("jobJson"));
    splitter->addWidget(m_table);
    splitter->addWidget(m_json);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
}

void JobParametersTab::setJob(const client::TrainingJob &job)
{
    const QList<client::HyperParameterValue> values = client::hyperParameterValues(job);
    int overridden = 0;
    int outOfRange = 0;
    m_table->setRowCount(int(values.size()));
    QFont bold = m_table->font();
    bold.setBold(true);
    for (int row = 0; row < values.size(); ++row) {
        const client::HyperParameterValue &v = values[row];
        const QString value = v.isSet ? v.value : tr("default");
        const QStringList cells = {v.parameter.label, value, v.parameter.defaultText,
                                   v.parameter.rangeText, v.path};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells[column]);
            item->setToolTip(cells[column]);
            if (column == ValueColumn && v.isSet)
                item->setFont(bold); // what the job changed stands out from the defaults
            if (column == ValueColumn && !v.isSet)
                item->setForeground(m_table->palette().color(QPalette::PlaceholderText));
            if (column == ValueColumn && v.outOfRange) {
                item->setForeground(QColor(0xc6, 0x28, 0x28));
                item->setToolTip(tr("%1 is outside the documented range (%2)")
                                     .arg(v.value, v.parameter.rangeText));
            }
            m_table->setItem(row, column, item);
        }
        overridden += v.isSet ? 1 : 0;
        outOfRange += v.outOfRange ? 1 : 0;
    }
    m_table->resizeColumnsToContents();
    // English plurals written out: Firedeck ships no translations to resolve %n forms.
    QString summary = overridden == 1
                          ? tr("1 parameter set by the job; the others use the platform's default.")
                          : tr("%1 parameters set by the job; the others use the platform's "
                               "default.")
                                .arg(overridden);
    if (outOfRange == 1)
        summary += QLatin1Char(' ') + tr("1 value outside the documented range.");
    else if (outOfRange > 1)
        summary += QLatin1Char(' ') + tr("%1 values outside the documented range.").arg(outOfRange);
    m_summary->setText(summary);
    if (job.raw != m_shownRaw) {
        m_shownRaw = job.raw;
        m_json->setJson(job.raw);
    }
}

} // namespace ui
