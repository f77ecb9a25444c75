#pragma once

#include <client/curlcommand.h>

#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;

namespace ui {

using client::shellQuote; // the dialogs' firectl commands quote with the client's rule

//! A "Copy firectl command" / "Copy curl request" button row for create dialogs, so users can
//! script what they clicked. The providers build the text from the dialog's current input when
//! a button is clicked; the texts must never contain the API key.
class CommandEquivalents : public QWidget
{
    Q_OBJECT
public:
    using Provider = std::function<QString()>;
    CommandEquivalents(Provider firectl, Provider curl, QWidget *parent = nullptr);

    //! Replaces a button's tooltip, for dialogs whose commands need a word of explanation
    //! (e.g. a value read from an environment variable).
    void setFirectlToolTip(const QString &text);
    //! Replaces the first button's text and what "Copied the …" calls it, for rows whose first
    //! command is not firectl (the playground copies a request as Python).
    void setFirectlText(const QString &buttonText, const QString &what);
    void setCurlToolTip(const QString &text);
    //! Disables the curl button, with `why` as its tooltip (e.g. when there is nothing to create).
    void setCurlUnavailable(const QString &why);

private:
    void copy(const QString &text, const QString &what);

    Provider m_firectl;
    Provider m_curl;
    QString m_firectlWhat;
    QPushButton *m_copyFirectl;
    QPushButton *m_copyCurl;
    QLabel *m_copied;
};

} // namespace ui
