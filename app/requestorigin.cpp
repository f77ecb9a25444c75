#include "requestorigin.h"

client::TransportReply *RequestOrigin::send(const client::HttpRequest &request)
{
    client::TransportReply *reply = m_inner->send(request);
    QUrl url = request.url;
    url.setQuery(QString());
    url.setFragment(QString());
    // Connected before the layers above connect theirs, so this runs first.
    QObject::connect(reply, &client::TransportReply::finished, reply,
                     [this, url, method = request.method] {
                         m_lastUrl = url;
                         m_lastMethod = method;
                     });
    return reply;
}
