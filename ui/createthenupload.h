#pragma once

#include <client/pendingcall.h>
#include <client/uploadflow.h>

#include <QObject>
#include <QPointer>

namespace ui {

//! The create-then-upload sequence of the dataset and model upload dialogs. The resource is
//! created once: after a failed or cancelled upload, "Upload again" only uploads. Cancel aborts
//! whatever is in flight: the upload flow, else the create request or a follow-up call.
class CreateThenUpload
{
public:
    explicit CreateThenUpload(bool created = false) : m_created(created) {}
    bool created() const { return m_created; }

    //! Calls `upload` at once when the resource exists. Otherwise sends the request `create`
    //! returns and, when it succeeds, calls `onCreated` with the resource, then `upload`; when
    //! it fails, `onFailure` with the error. Handlers run in `context`'s thread and lifetime.
    template <typename Create, typename Created, typename Failed, typename Upload>
    void start(QObject *context, Create create, Created onCreated, Failed onFailure, Upload upload)
    {
        if (m_created) {
            upload();
            return;
        }
        auto *call = create();
        m_call = call;
        QObject::connect(call, &client::PendingCallBase::finished, context,
                         [this, call, onCreated, onFailure, upload] {
                             if (!call->result().ok()) {
                                 onFailure(call->result().error());
                                 return;
                             }
                             m_created = true;
                             onCreated(call->result().value());
                             upload();
                         });
    }

    //! What Cancel aborts from now on.
    void track(client::PendingCallBase *call) { m_call = call; }
    void track(client::UploadFlow *flow) { m_flow = flow; }
    void abort()
    {
        if (m_flow)
            m_flow->abort();
        else if (m_call)
            m_call->abort();
    }

private:
    bool m_created;
    QPointer<client::PendingCallBase> m_call;
    QPointer<client::UploadFlow> m_flow;
};

} // namespace ui
