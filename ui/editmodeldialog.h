#pragma once

#include <client/models.h>

#include <QDialog>
#include <QPointer>

class QDialogButtonBox;
class QLineEdit;
class QPlainTextEdit;

namespace client {
class ApiClient;
class PendingCallBase;
} // namespace client
namespace widgets {
class ErrorBanner;
}

namespace ui {

//! Changes a model's display name and description (PATCH with an updateMask of the fields
//! that changed).
class EditModelDialog : public QDialog
{
    Q_OBJECT
public:
    EditModelDialog(client::ApiClient *api, client::Model model, QWidget *parent = nullptr);

Q_SIGNALS:
    void modelUpdated(const client::Model &model);

private:
    //! The model as the fields now describe it (display name and description only).
    client::Model edited() const;
    void save();

    client::ApiClient *m_api; // not owned
    client::Model m_model;
    QLineEdit *m_displayName;
    QPlainTextEdit *m_description;
    widgets::ErrorBanner *m_error;
    QDialogButtonBox *m_buttons;
    QPointer<client::PendingCallBase> m_call;
};

} // namespace ui
