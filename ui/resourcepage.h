#pragma once

#include <ui/confirmation.h>
#include <ui/page.h>

#include <client/apierror.h>
#include <client/pendingcall.h>

#include <QPointer>
#include <QSet>

#include <functional>

class QAction;
class QContextMenuEvent;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTimer;
class QToolBar;
class QVBoxLayout;

namespace models {
class ResourceListModel;
class ResourceSortProxy;
} // namespace models
namespace widgets {
class ElidedTitle;
class ErrorBanner;
class JsonView;
} // namespace widgets

namespace ui {

//! A link shown in the detail pane: a label and the page and resource it opens.
struct ResourceLink
{
    QString label;
    QString pageId;
    QString resourceName;
};

//! The common shape of a resource browser: a toolbar with actions and a filter box, an
//! error banner with Retry, a sortable lazily paged table (or an empty state), and a detail
//! pane with every field, the raw JSON, Copy name and links to related resources.
//! Subclasses add their actions and dialogs, and the links of a resource.
class ResourcePage : public Page
{
    Q_OBJECT
public:
    //! `model` is not owned; it lives as long as the page.
    ResourcePage(models::ResourceListModel *model, QString noun, QWidget *parent = nullptr);

    bool isLoaded() const override { return m_loaded; }
    void reload() override;
    void focusFilter() override;
    //! The table.
    void focusContent() override;
    void showResource(const QString &name) override;

    //! How a resource is named to the user: "Display name (id)", or the id alone.
    static QString userFacingName(const QString &name, const QString &displayName);

    QTableView *view() const { return m_view; }
    models::ResourceListModel *listModel() const { return m_model; }
    //! Full name of the selected resource, empty when none.
    QString selectedName() const;
    //! Row in the source model of the selection, -1 when none.
    int selectedSourceRow() const;
    widgets::ErrorBanner *errorBanner() const { return m_banner; }

protected:
    QToolBar *toolBar() const { return m_toolBar; }
    //! Adds an action before the filter box (a Tab stop, in the rows' context menu, its
    //! shortcut in the tooltip); `needsSelection` disables it without one.
    QAction *addPageAction(const QString &text, const QKeySequence &shortcut, bool needsSelection,
                           std::function<void()> handler);
    //! Adds a widget to the toolbar after the page's actions, before the filter box.
    void addToolBarWidget(QWidget *widget);
    //! Off: an expression typed in the filter box filters the loaded rows as words do, for a
    //! list whose server ignores filters (client::honoursServerFilter).
    void setServerFilters(bool offered) { m_serverFilters = offered; }
    //! Asks `confirmation`; runs `run` only when the user confirms.
    void confirmThenRun(const Confirmation &confirmation, std::function<void()> run);
    //! Follows an action's call: the page is busy until it finishes; a failure shows
    //! "<what> failed …" above the table, success runs `done` with the result.
    template <typename T>
    void followCall(client::PendingCall<T> *call, const QString &what,
                    std::function<void(const T &)> done)
    {
        setActionBusy(true);
        connect(call, &client::PendingCallBase::finished, this, [this, call, what, done] {
            setActionBusy(false);
            if (!call->result().ok()) {
                showActionError(what, call->result().error());
                return;
            }
            done(call->result().value());
        });
    }
    //! The empty state's text and button (e.g. "No deployments yet." / "New deployment…").
    void setEmptyState(const QString &text, QAction *primary);
    //! Links of the resource in `sourceRow` (a deployment's model, a LoRA's base model, …).
    virtual QList<ResourceLink> linksFor(int sourceRow) const;
    //! Adds a page-specific widget to the detail pane, below the links (e.g. a reference
    //! that has no page to link to yet, with its own Copy button). The page shows and
    //! hides it in selectionChanged().
    void addDetailWidget(QWidget *widget);
    //! Called when the selection or the selected row's data changed.
    virtual void selectionChanged();
    //! Shows an action's failure inline, above the table, with the platform's message.
    void showActionError(const QString &what, const client::ApiError &error);
    //! The same with the text already written (e.g. a refusal explained with fetched state).
    void showActionErrorText(const QString &text, const client::ApiError &error);
    //! A short success or progress message in the page's status line (empty clears it). It
    //! goes away by itself after a few seconds and when the page is left, so it never
    //! describes an operation that has long ended.
    void showActionStatus(const QString &text);
    //! Busy indicator for an action in progress (not the list's own loading).
    void setActionBusy(bool busy);

    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void refreshStale() override;

private:
    bool eventFilter(QObject *watched, QEvent *event) override;
    //! Keeps the action status at the table's bottom left, over the rows.
    void placeActionStatus();
    void updateState();
    //! Column widths from the header and the first page's rows, within the view's width;
    //! after the user resized a column, the user's widths stay.
    void fitColumns();
    //! Keeps room in the State column for the states rows `first`..`last` show now.
    void makeRoomForStates(int first, int last);
    void showRowMenu(const QPoint &pos);
    void updateDetails();
    void applyFilter();

    models::ResourceListModel *m_model;
    models::ResourceSortProxy *m_proxy;
    QString m_noun;
    QToolBar *m_toolBar;
    QAction *m_filterAnchor = nullptr;
    QLineEdit *m_filter;
    QTimer *m_filterTimer;
    QProgressBar *m_busy;
    widgets::ErrorBanner *m_banner;
    widgets::ErrorBanner *m_actionBanner;
    QLabel *m_actionStatus;
    bool m_serverFilters = true;
    QTimer *m_actionStatusTimer;
    QStackedWidget *m_stack;
    QTableView *m_view;
    QLabel *m_emptyText;
    QPushButton *m_emptyButton;
    widgets::ElidedTitle *m_detailTitle;
    QLabel *m_links;
    QVBoxLayout *m_detailLayout;
    QPushButton *m_copyName;
    widgets::JsonView *m_fields;
    widgets::JsonView *m_json;
    QList<QPair<QAction *, bool>> m_actions; // action, needs a selection
    QString m_pendingShow;                   // a resource to select once it has been loaded
    bool m_loaded = false;
    bool m_fittingColumns = false;
    bool m_userSizedColumns = false;
    bool m_fitColumnsOnShow = false;
    int m_stateRoom = 0; // the widest state badge the State column has shown, in px
    QSet<QString> m_measuredStates; // the state texts m_stateRoom has been measured for
    //! A quiet reload (refreshStale) is running: the busy bar stays hidden, as the rows are
    //! there and stay; a load the user asked for (F5, a filter) shows it.
    bool m_quietLoad = false;
    int m_actionsBusy = 0;
};

} // namespace ui
