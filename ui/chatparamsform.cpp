#include "chatparamsform.h"

#include <models/chatoptions.h>
#include <models/conversationstore.h>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

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
    // The rows at the top and the spare height below them (a QFormLayout alone spreads its
    // rows over the group box's height).
    auto *outer = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    outer->addLayout(form);
    outer->addStretch(1);
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
    // Short enough to show whole in the panel ("several: separate with |" was cut after
    // "separate"); the tooltip says the rest.
    m_stopSequences->setPlaceholderText(tr("separate with |"));
    m_stopSequences->setToolTip(tr("Text that ends the reply where the model writes it. Several: "
                                   "separate them with |, as in ###|END."));
    m_seed = new QLineEdit(this);
    m_seed->setObjectName(QStringLiteral("seed"));
    // Empty draws a fresh seed for every reply (Regenerate gives another answer); a number
    // repeats its reply. Digits only: a typed "abc" or "-1" was dropped without a word.
    m_seed->setPlaceholderText(tr("random"));
    m_seed->setToolTip(tr("Empty: a new random seed for every reply. A number (0 or more) gives "
                          "the same reply again for the same conversation and parameters on a local model."));
    m_seed->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[0-9]{0,19}")), m_seed));
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
    auto *greedy = new QLabel(tr("Temperature 0 is greedy."), this);
    greedy->setWordWrap(true);
    greedy->setEnabled(false);
    // Not grown: the form's spare height went to this row, the hint floating in the middle.
    greedy->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    form->addRow(greedy);

    m_thinking = new QCheckBox(tr("Thinking"), this);
    m_thinking->setObjectName(QStringLiteral("thinking"));
    m_thinking->setAccessibleName(tr("Thinking"));
    m_thinking->setChecked(true);
    auto *thinkingRow = new QHBoxLayout; // the box only as wide as its text, as clicked
    thinkingRow->addWidget(m_thinking);
    thinkingRow->addStretch();
    form->addRow(thinkingRow);
    m_templateVariables = new QPlainTextEdit(this);
    m_templateVariables->setObjectName(QStringLiteral("templateVariables"));
    m_templateVariables->setAccessibleName(tr("Template variables"));
    m_templateVariables->setPlaceholderText(tr("name=value lines, or a JSON object"));
    m_templateVariables->setToolTip(
        tr("Extra chat-template variables, passed to a local model's template and to the "
           "platform as chat_template_kwargs. One name=value a line (true, 3 and \"x\" are read "
           "as JSON, anything else as text), or one JSON object."));
    m_templateVariables->setTabChangesFocus(true);
    m_templateVariables->setFixedHeight(m_templateVariables->fontMetrics().lineSpacing() * 3 + 12);
    form->addRow(tr("Template variables:"), m_templateVariables);
    m_templateError = new QLabel(this);
    m_templateError->setObjectName(QStringLiteral("templateVariablesError"));
    m_templateError->setWordWrap(true);
    m_templateError->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_templateError->hide();
    form->addRow(m_templateError);
    auto *probabilities = new QHBoxLayout;
    m_logprobs = new QCheckBox(tr("Show token probabilities, top"), this);
    m_logprobs->setObjectName(QStringLiteral("showLogprobs"));
    m_logprobs->setToolTip(
        tr("Each token of a reply then shows its probability and the most "
           "likely alternatives when the pointer rests on it (platform models give at most 5)."));
    m_topLogprobs = new QSpinBox(this);
    m_topLogprobs->setObjectName(QStringLiteral("topLogprobs"));
    m_topLogprobs->setAccessibleName(tr("Alternatives per token"));
    m_topLogprobs->setRange(1, 20);
    m_topLogprobs->setValue(5);
    m_topLogprobs->setEnabled(false);
    probabilities->addWidget(m_logprobs);
    probabilities->addWidget(m_topLogprobs);
    probabilities->addStretch();
    form->addRow(probabilities);
    setThinkingVariable({});

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
    auto emitOptionsChanged = [this] {
        if (!m_setting)
            Q_EMIT optionsChanged();
    };
    connect(m_thinking, &QCheckBox::toggled, this, [this, emitOptionsChanged](bool on) {
        if (m_thinking->isEnabled()) // not when unticked for a target without the switch
            m_thinkingWanted = on;
        emitOptionsChanged();
    });
    connect(m_logprobs, &QCheckBox::toggled, this, [this, emitOptionsChanged](bool on) {
        m_topLogprobs->setEnabled(on);
        emitOptionsChanged();
    });
    connect(m_topLogprobs, &QSpinBox::valueChanged, this, emitOptionsChanged);
    connect(m_templateVariables, &QPlainTextEdit::textChanged, this, [this, emitOptionsChanged] {
        checkOptions();
        emitOptionsChanged();
    });
}

void ChatParamsForm::setThinkingVariable(const QString &name)
{
    m_thinkingVariable = name;
    m_thinking->setEnabled(!name.isEmpty());
    {
        // Ticked only where it acts: a ticked grey box read as "thinking is on" for targets
        // without the switch. The user's choice is kept for the next target that has one.
        const QSignalBlocker quiet(m_thinking);
        m_thinking->setChecked(!name.isEmpty() && m_thinkingWanted);
    }
    m_thinking->setToolTip(
        name.isEmpty()
            ? tr("This target's chat template has no thinking switch (or it is a platform "
                 "model: set a variable below if its template takes one).")
            : tr("Sets %1 in the chat template: off asks the model to answer without its "
                 "reasoning part.")
                  .arg(name));
}

std::optional<models::ChatOptions> ChatParamsForm::options(QString *error) const
{
    QString why;
    const auto variables = models::parseTemplateVariables(m_templateVariables->toPlainText(), &why);
    if (!variables) {
        if (error)
            *error = why;
        return std::nullopt;
    }
    models::ChatOptions o;
    o.templateVariables = *variables;
    // The field's own value wins over the switch.
    if (!m_thinkingVariable.isEmpty() && !o.templateVariables.contains(m_thinkingVariable))
        o.templateVariables.insert(m_thinkingVariable, m_thinkingWanted);
    o.topLogprobs = m_logprobs->isChecked() ? m_topLogprobs->value() : 0;
    return o;
}

void ChatParamsForm::saveOptionsTo(models::ConversationOptions *options) const
{
    options->thinking = m_thinkingWanted;
    options->templateVariables = m_templateVariables->toPlainText();
    options->showTokenProbabilities = m_logprobs->isChecked();
    options->topLogprobs = m_topLogprobs->value();
}

void ChatParamsForm::setOptionsFrom(const models::ConversationOptions &options)
{
    m_setting = true;
    m_thinkingWanted = options.thinking;
    m_thinking->setChecked(m_thinking->isEnabled() && options.thinking);
    if (m_templateVariables->toPlainText() != options.templateVariables)
        m_templateVariables->setPlainText(options.templateVariables);
    m_logprobs->setChecked(options.showTokenProbabilities);
    m_topLogprobs->setValue(options.topLogprobs);
    m_setting = false;
}

void ChatParamsForm::checkOptions()
{
    QString why;
    const bool ok =
        models::parseTemplateVariables(m_templateVariables->toPlainText(), &why).has_value();
    m_templateError->setText(why);
    m_templateError->setVisible(!ok);
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
