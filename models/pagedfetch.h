#pragma once

// Every page of a List call, one after another (platform-api.md §1.7: at most 200 items a
// page, `nextPageToken` empty on the last page), for pickers that must offer the whole list
// rather than its first page. Pages are handed over as they arrive, so a picker fills while the
// rest is still coming; nothing blocks.

#include <client/apierror.h>
#include <client/common.h>
#include <client/pendingcall.h>

#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>

namespace models {

//! How one paged fetch ended; `items` counts every item handed over.
struct PagedFetchEnd
{
    bool ok = true;
    client::ApiError error; //!< when !ok: the failed page's error (earlier pages were handed over)
    int pages = 0;
    int items = 0;
};

//! Fetches every page of a list. `list(request)` starts one page's call (request.pageToken set
//! by this function); `onPage(items)` gets each page's items in order; `onEnd` is called once,
//! after the last page or the first failure. Stops quietly when `context` is destroyed. A server
//! that hands back a page token it gave before ends the fetch with an error rather than looping.
template <typename T>
void fetchAllPages(
    QObject *context,
    std::function<client::PendingCall<client::Page<T>> *(const client::ListRequest &)> list,
    client::ListRequest request, std::function<void(const QList<T> &)> onPage,
    std::function<void(const PagedFetchEnd &)> onEnd)
{
    struct State
    {
        std::function<client::PendingCall<client::Page<T>> *(const client::ListRequest &)> list;
        client::ListRequest request;
        std::function<void(const QList<T> &)> onPage;
        std::function<void(const PagedFetchEnd &)> onEnd;
        QSet<QString> seenTokens;
        PagedFetchEnd end;
        std::function<void()> next;
    };
    auto state = std::make_shared<State>();
    state->list = std::move(list);
    state->request = std::move(request);
    if (state->request.pageSize <= 0)
        state->request.pageSize = 200; // the largest page the server gives (§1.7)
    state->onPage = std::move(onPage);
    state->onEnd = std::move(onEnd);
    QPointer<QObject> guard(context);
    // The lambda holds a weak pointer to its own state: the pending call's connection keeps
    // the state alive while a page is on its way, and nothing is left once the fetch ends.
    std::weak_ptr<State> weak = state;
    state->next = [weak, guard] {
        auto s = weak.lock();
        if (!s || !guard)
            return;
        auto *call = s->list(s->request);
        QObject::connect(call, &client::PendingCallBase::finished, guard.data(), [s, call] {
            const auto &result = call->result();
            if (!result.ok()) {
                s->end.ok = false;
                s->end.error = result.error();
                s->onEnd(s->end);
                s->next = nullptr;
                return;
            }
            const client::Page<T> &page = result.value();
            ++s->end.pages;
            s->end.items += int(page.items.size());
            s->onPage(page.items);
            if (page.isLast()) {
                s->onEnd(s->end);
                s->next = nullptr;
                return;
            }
            if (s->seenTokens.contains(page.nextPageToken)) {
                s->end.ok = false;
                s->end.error = client::ApiError::make(
                    client::ApiError::Kind::Decode,
                    QObject::tr("The server handed back page token \"%1\" twice; the list stops "
                                "at %2 items.")
                        .arg(page.nextPageToken)
                        .arg(s->end.items));
                s->onEnd(s->end);
                s->next = nullptr;
                return;
            }
            s->seenTokens.insert(page.nextPageToken);
            s->request.pageToken = page.nextPageToken;
            s->next();
        });
    };
    state->next();
}

} // namespace models
