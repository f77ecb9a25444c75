#pragma once

#include <QDialog>

class QLabel;
class QTableView;

namespace models {
class LocalServer;
}

namespace ui {

//! The local server's request log: one row per request with its timings, newest at the bottom
//! (followed while the view is scrolled to the end). Non-modal, so it can stay open while
//! clients run.
class ServerLogDialog : public QDialog
{
    Q_OBJECT
public:
    //! `server` is not owned and outlives the dialog.
    explicit ServerLogDialog(models::LocalServer *server, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    //! Room for every column of figures and a short error, however wide the screen.
    QSize sizeHint() const override;

private:
    void updateHeader();
    //! The figures' columns to their contents; the error column takes the room left.
    void fitColumns();

    models::LocalServer *m_server; // not owned
    QLabel *m_header;
    QTableView *m_table = nullptr;
};

} // namespace ui
