#pragma once

#include <client/apiclient.h>

#include <QObject>
#include <QPointer>

namespace models {

//! One titled group of resources, as lines of text (the first dashboard shows these).
struct ResourceSection
{
    QString title;
    int total = 0;
    QStringList lines;
};

//! Fetches the first page of every account collection and keeps it as text sections. A
//! later issue replaces this with per-resource list models; this is the plain first view.
class AccountSnapshot : public QObject
{
    Q_OBJECT
public:
    explicit AccountSnapshot(client::ApiClient *api, QObject *parent = nullptr); // api not owned

    void refresh();
    bool isLoading() const { return m_pending > 0; }
    const QList<ResourceSection> &sections() const { return m_sections; }
    //! Errors of the last refresh, one line each ("Datasets: 401 UNAUTHENTICATED: ...").
    const QStringList &errors() const { return m_errors; }

Q_SIGNALS:
    void loadingChanged(bool loading);
    void changed();

private:
    template <typename T>
    void fetch(int index, const QString &title, client::PendingCall<client::Page<T>> *call,
               std::function<QString(const T &)> line);

    client::ApiClient *m_api;
    QList<ResourceSection> m_sections;
    QStringList m_errors;
    int m_pending = 0;
    int m_generation = 0;
};

} // namespace models
