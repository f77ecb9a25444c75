#include "chatparamsform.h"

#include <models/conversationstore.h>

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace ui {

namespace {

QDoubleSpinBox *doubleBox(QWidget *parent, double min, double max, double step, double value)
{
    auto *b = new QDoubleSpinBox(parent);
    b->setRange(min, max);
    b->setSingleStep(step);
    b->setDecimals(2);
    b->setValue(value);
    return b;
}

} // namespace

ChatParamsForm::ChatParamsForm(QWidget *parent) : QGroupBox(tr("Parameters"), parent)
{
    auto *form = new QFormLayout(this);
    m_temperature = doubleBox(this, 0, 2, 0.1, 0.7);
    m_topP = doubleBox(this, 0, 1, 0.05, 1.0);
    m_topK = new QSpinBox(this);
    m_topK->setRange(0, 1000);
    m_topK->setSpecialValueText(tr("off"));
    m_minP = doubleBox(this, 0, 1, 0.01, 0.0);
    m_maxTokens = new QSpinBox(this);
    m_maxTokens->setObjectName(QStringLiteral("maxTokens"));
    m_maxTokens->setRange(1, 1 << 20);
    m_maxTokens->setValue(512);
    m_stopSequences = new QLineEdit(this);
    m_stopSequences->setPlaceholderText(tr("one per line: separate with |"));
    m_seed = new QLineEdit(this);
    m_seed->setPlaceholderText(tr("0"));
    m_repetition = doubleBox(this, 0.5, 2, 0.05, 1.0);
    m_presence = doubleBox(this, -2, 2, 0.1, 0.0);
    m_frequency = doubleBox(this, -2, 2, 0.1, 0.0);
    // Each field is named for a screen reader by its form label.
    const QList<std::pair<QString, QWidget *>> named{{tr("Temperature"), m_temperature},
                                                     {tr("Top-p"), m_topP},
                                                     {tr("Top-k"), m_topK},
                                                     {tr("Min-p"), m_minP},
                                                     {tr("Max tokens"), m_maxTokens},
                                                     {tr("Stop sequences"), m_stopSequences},
                                                     {tr("Seed"), m_seed},
                                                     {tr("Repetition penalty"), m_repetition},
                                                     {tr("Presence penalty"), m_presence},
                                                     {tr("Frequency penalty"), m_frequency}};
    for (const auto &[name, widget] : named)
        widget->setAccessibleName(name);
    form->addRow(tr("Temperature:"), m_temperature);
    form->addRow(tr("Top-p:"), m_topP);
    form->addRow(tr("Top-k:"), m_topK);
    form->addRow(tr("Min-p:"), m_minP);
    form->addRow(tr("Max tokens:"), m_maxTokens);
    form->addRow(tr("Stop:"), m_stopSequences);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("Repetition penalty:"), m_repetition);
    form->addRow(tr("Presence penalty:"), m_presence);
    form->addRow(tr("Frequency penalty:"), m_frequency);
    auto *unsupported = new QLabel(
        tr("Temperature 0 is greedy. Not offered yet: token probabilities (the engine computes "
           "top-n logprobs, this page does not show them) and extra chat-template variables."),
        this);
    unsupported->setWordWrap(true);
    unsupported->setEnabled(false);
    form->addRow(unsupported);

    auto emitChanged = [this] {
        if (!m_setting)
            Q_EMIT changed();
    };
    for (QDoubleSpinBox *b : {m_temperature, m_topP, m_minP, m_repetition, m_presence, m_frequency})
        connect(b, &QDoubleSpinBox::valueChanged, this, emitChanged);
    for (QSpinBox *b : {m_topK, m_maxTokens})
        connect(b, &QSpinBox::valueChanged, this, emitChanged);
    for (QLineEdit *e : {m_stopSequences, m_seed})
        connect(e, &QLineEdit::editingFinished, this, emitChanged);
}

models::ChatParams ChatParamsForm::params() const
{
    models::ChatParams p;
    p.temperature = m_temperature->value();
    p.topP = m_topP->value();
    p.topK = m_topK->value();
    p.minP = m_minP->value();
    p.maxTokens = m_maxTokens->value();
    p.repetitionPenalty = m_repetition->value();
    p.presencePenalty = m_presence->value();
    p.frequencyPenalty = m_frequency->value();
    p.stop = m_stopSequences->text().split(QLatin1Char('|'), Qt::SkipEmptyParts);
    bool ok = false;
    const qulonglong seed = m_seed->text().trimmed().toULongLong(&ok);
    if (ok)
        p.seed = seed;
    return p;
}

void ChatParamsForm::setParams(const models::ChatParams &p)
{
    m_setting = true;
    m_temperature->setValue(p.temperature);
    m_topP->setValue(p.topP);
    m_topK->setValue(p.topK);
    m_minP->setValue(p.minP);
    m_maxTokens->setValue(p.maxTokens);
    m_repetition->setValue(p.repetitionPenalty);
    m_presence->setValue(p.presencePenalty);
    m_frequency->setValue(p.frequencyPenalty);
    m_stopSequences->setText(p.stop.join(QLatin1Char('|')));
    m_seed->setText(p.seed ? QString::number(*p.seed) : QString());
    m_setting = false;
}

} // namespace ui
