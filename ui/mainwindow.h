#pragma once

#include <QMainWindow>

class QLabel;

namespace ui {

//! Hosts the pages, the menus and the status bar; owns no feature itself.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    void addPage(const QString &name, QWidget *page);
    //! Status bar: which profile, where it talks to, requests in flight, last error.
    void setConnection(const QString &profile, const QString &endpoint);
    void setRequestsInFlight(int count);
    void setLastError(const QString &error);

private:
    QLabel *m_profile;
    QLabel *m_inFlight;
    QLabel *m_lastError;
};

} // namespace ui
