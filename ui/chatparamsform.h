#pragma once

// The playground's sampling parameters (temperature, top-p, top-k, min-p, max tokens, stop
// sequences, seed, penalties) as a form; the chat and the side-by-side share one.

#include <QGroupBox>

class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace models {
struct ChatParams;
}

namespace ui {

class ChatParamsForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit ChatParamsForm(QWidget *parent = nullptr);
    models::ChatParams params() const;
    //! Shows `params` without emitting changed().
    void setParams(const models::ChatParams &params);

Q_SIGNALS:
    //! The user changed a value (spin boxes at once, text fields when editing finished).
    void changed();

private:
    QDoubleSpinBox *m_temperature, *m_topP, *m_minP, *m_repetition, *m_presence, *m_frequency;
    QSpinBox *m_topK, *m_maxTokens;
    QLineEdit *m_stopSequences, *m_seed;
    bool m_setting = false;
};

} // namespace ui
