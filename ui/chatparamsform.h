#pragma once

// The playground's sampling parameters (temperature, top-p, top-k, min-p, max tokens, stop
// sequences, seed, penalties) as a form; the chat and the side-by-side share one. Below them
// the request options: the Thinking switch (offered when the target's chat template reads a
// variable such as enable_thinking), extra template variables, and token probabilities.

#include <QGroupBox>

#include <optional>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace models {
struct ChatOptions;
struct ChatParams;
struct ConversationOptions;
} // namespace models

namespace ui {

class ChatParamsForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit ChatParamsForm(QWidget *parent = nullptr);
    models::ChatParams params() const;
    //! Shows `params` without emitting changed().
    void setParams(const models::ChatParams &params);

    //! The template variable the Thinking switch sets (empty: the target has none, the switch
    //! is off and disabled).
    void setThinkingVariable(const QString &name);
    QString thinkingVariable() const { return m_thinkingVariable; }
    //! The request options; nullopt with `error` (also shown under the field) when the
    //! template variables cannot be read.
    std::optional<models::ChatOptions> options(QString *error = nullptr) const;
    //! The switches as they stand (the template variables as typed, readable or not), for the
    //! conversation to keep; only the form's fields of `options` are read or written.
    void saveOptionsTo(models::ConversationOptions *options) const;
    //! Shows a conversation's switches without emitting optionsChanged().
    void setOptionsFrom(const models::ConversationOptions &options);

Q_SIGNALS:
    //! The user changed a value (spin boxes at once, text fields when editing finished).
    void changed();
    //! The Thinking switch, the template variables or the token probabilities changed.
    void optionsChanged();

private:
    void checkOptions();

    QDoubleSpinBox *m_temperature, *m_topP, *m_minP, *m_repetition, *m_presence, *m_frequency;
    QSpinBox *m_topK, *m_maxTokens;
    QLineEdit *m_stopSequences, *m_seed;
    QCheckBox *m_thinking, *m_logprobs;
    QSpinBox *m_topLogprobs;
    QPlainTextEdit *m_templateVariables;
    QLabel *m_templateError;
    QString m_thinkingVariable;
    //! The thinking switch as the user set it, also while the target has none (box unticked).
    bool m_thinkingWanted = true;
    bool m_setting = false;
};

} // namespace ui
