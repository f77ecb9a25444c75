#pragma once

// What the Playground page runs on, wired as the app wires it: an engine host, the local engine
// on it, the conversation store and the chat session (talking to the platform when given one).
// Declare it before the page or window that shows it: the page goes first.

#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/conversationstore.h>
#include <models/localengine.h>

namespace client {
class ApiClient;
}

namespace testing {

struct PlaygroundBackend
{
    //! The store on the file `conversations`; the session's platform is `platform`, if any.
    explicit PlaygroundBackend(const QString &conversations, client::ApiClient *platform = nullptr)
        : store(conversations), session(&store, &host)
    {
        if (platform)
            session.setPlatform(platform);
    }

    enginehost::EngineHost host;
    models::LocalEngine engine{&host};
    models::ConversationStore store;
    models::ChatSession session;
};

} // namespace testing
