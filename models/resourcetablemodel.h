#pragma once

#include <models/resourcelistmodel.h>

#include <client/pendingcall.h>

#include <QHash>

#include <algorithm>
#include <functional>
#include <vector>

namespace models {

//! A column of a resource table: header, what the cell shows, how it sorts, and the
//! server-side order field when the API can sort by it.
template <typename T> struct ResourceColumn
{
    using Cell = std::function<QVariant(const T &)>;
    ResourceColumn(QString header, Cell display, Cell sortKey = {}, QString orderField = {},
                   bool isState = false)
        : header(std::move(header)), display(std::move(display)), sortKey(std::move(sortKey)),
          orderField(std::move(orderField)), isState(isState)
    {}
    QString header;
    Cell display;
    Cell sortKey;       //!< empty: sort by display
    QString orderField; //!< "name" / "create_time", or empty
    bool isState = false;
};

//! What a typed list model needs of its resource family.
template <typename T> struct ResourceTraits
{
    std::function<client::PendingCall<client::Page<T>> *(const client::ListRequest &)> list;
    std::function<client::PendingCall<T> *(const QString &name)> get; //!< empty: no polling
    std::function<QString(const T &)> name;
    std::function<QString(const T &)> state;       //!< empty: resources without a state
    std::function<bool(const T &)> isTransitional; //!< empty: never polled
    std::function<QByteArray(const T &)> raw;
    QList<ResourceColumn<T>> columns;
};

//! The typed REST list model: std::vector<T> answered in O(1) by data().
template <typename T> class ResourceTableModel : public ResourceListModel
{
public:
    explicit ResourceTableModel(ResourceTraits<T> traits, QObject *parent = nullptr)
        : ResourceListModel(parent), m_traits(std::move(traits))
    {
        for (int i = 0; i < m_traits.columns.size(); ++i)
            if (m_traits.columns[i].isState)
                m_stateColumn = i;
    }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_items.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_traits.columns.size());
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 &&
            section < m_traits.columns.size())
            return m_traits.columns[section].header;
        return ResourceListModel::headerData(section, orientation, role);
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!index.isValid() || index.model() != this || index.row() >= rowCount() ||
            index.column() >= columnCount())
            return {};
        const T &item = m_items[size_t(index.row())];
        const ResourceColumn<T> &column = m_traits.columns[index.column()];
        switch (role) {
        case Qt::DisplayRole:
        case Qt::ToolTipRole: // cells are elided; the tooltip shows the whole text
            return column.display(item);
        case SortRole:
            return column.sortKey ? column.sortKey(item) : column.display(item);
        case NameRole:
            return m_traits.name(item);
        case StateRole:
            return m_traits.state ? m_traits.state(item) : QString();
        case TransitionalRole:
            return m_traits.isTransitional && m_traits.isTransitional(item);
        case RawJsonRole:
            return m_traits.raw(item);
        default:
            return {};
        }
    }
    QString orderFieldOfColumn(int column) const override
    {
        return column >= 0 && column < m_traits.columns.size() ? m_traits.columns[column].orderField
                                                               : QString();
    }
    int stateColumn() const override { return m_stateColumn; }

    int rowOfName(const QString &name) const override { return m_rowOfName.value(name, -1); }
    const T &item(int row) const { return m_items.at(size_t(row)); }
    const std::vector<T> &items() const { return m_items; }

    //! Puts a resource the page just created or changed into the list: updates its row in
    //! place, or inserts it at the top. Starts polling when it is transitional.
    void upsert(const T &item)
    {
        const int row = rowOfName(m_traits.name(item));
        if (row >= 0) {
            replaceRow(row, item);
        } else {
            beginInsertRows({}, 0, 0);
            m_items.insert(m_items.begin(), item);
            reindex();
            endInsertRows();
        }
        schedulePoll();
    }
    //! Drops a resource the server no longer has.
    void removeByName(const QString &name)
    {
        const int row = rowOfName(name);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_items.erase(m_items.begin() + row);
        reindex();
        endRemoveRows();
    }

protected:
    void requestPage(const client::ListRequest &request, int generation) override
    {
        auto *call = m_traits.list(request);
        connect(call, &client::PendingCallBase::finished, this, [this, call, generation] {
            if (!isCurrent(generation))
                return;
            const auto &result = call->result();
            if (!result) {
                m_quietItems.clear();
                pageFailed(generation, result.error());
                return;
            }
            const auto &page = result.value();
            if (isQuietGeneration(generation)) { // merged once all pages are in
                m_quietItems.insert(m_quietItems.end(), page.items.begin(), page.items.end());
            } else if (!page.items.isEmpty()) {
                const int first = rowCount();
                beginInsertRows({}, first, first + int(page.items.size()) - 1);
                m_items.insert(m_items.end(), page.items.begin(), page.items.end());
                for (int row = first; row < int(m_items.size()); ++row)
                    m_rowOfName.insert(m_traits.name(m_items[size_t(row)]), row);
                endInsertRows();
            }
            pageArrived(generation, page.nextPageToken, page.totalSize);
        });
    }
    void requestItem(const QString &name, int generation) override
    {
        auto *call = m_traits.get(name);
        connect(call, &client::PendingCallBase::finished, this, [this, call, name, generation] {
            if (!isCurrent(generation))
                return;
            const auto &result = call->result();
            if (result) {
                if (const int row = rowOfName(name); row >= 0)
                    replaceRow(row, result.value());
            } else if (result.error().kind == client::ApiError::Kind::NotFound) {
                removeByName(name); // deleted (and purged) while we watched it
                Q_EMIT rowStateChanged(name, QStringLiteral("DELETED"));
            }
            // Other errors: keep the row as it was; the next round tries again.
            itemFinished(generation, name);
        });
    }
    QStringList transitionalNames() const override
    {
        QStringList names;
        if (!m_traits.get || !m_traits.isTransitional)
            return names;
        for (const T &item : m_items)
            if (m_traits.isTransitional(item))
                names.append(m_traits.name(item));
        return names;
    }
    void clearItems() override
    {
        m_items.clear();
        m_rowOfName.clear();
        m_quietItems.clear();
    }
    int quietRowCount() const override { return int(m_quietItems.size()); }
    //! Turns the rows into m_quietItems, in its order: names gone are removed, rows at their
    //! place updated (only when the resource changed), new names inserted, moved rows moved.
    void mergeQuietRows() override
    {
        std::vector<T> fresh;
        QHash<QString, bool> freshNames; // a row that moved between two pages came twice: once
        for (T &item : std::exchange(m_quietItems, {}))
            if (!std::exchange(freshNames[m_traits.name(item)], true))
                fresh.push_back(std::move(item));
        for (int row = rowCount() - 1; row >= 0;) { // bottom up, a run of gone rows at once
            int first = row;
            while (first >= 0 && !freshNames.contains(m_traits.name(m_items[size_t(first)])))
                --first;
            if (first < row) {
                beginRemoveRows({}, first + 1, row);
                m_items.erase(m_items.begin() + first + 1, m_items.begin() + row + 1);
                reindex();
                endRemoveRows();
            }
            row = first - 1;
        }
        for (int at = 0; at < int(fresh.size());) {
            const T &item = fresh[size_t(at)];
            const int row = rowOfName(m_traits.name(item));
            if (row == at) {
                if (m_traits.raw(m_items[size_t(at)]) != m_traits.raw(item))
                    replaceRow(at, item);
                ++at;
            } else if (row > at) { // came up in the order: move it here, then compare
                beginMoveRows({}, row, row, {}, at);
                std::rotate(m_items.begin() + at, m_items.begin() + row, m_items.begin() + row + 1);
                reindex();
                endMoveRows();
            } else { // new: insert the whole run of new names at once
                int end = at + 1;
                while (end < int(fresh.size()) && rowOfName(m_traits.name(fresh[size_t(end)])) < 0)
                    ++end;
                beginInsertRows({}, at, end - 1);
                m_items.insert(m_items.begin() + at, fresh.begin() + at, fresh.begin() + end);
                reindex();
                endInsertRows();
                at = end;
            }
        }
    }

private:
    //! Rows shift after an insert at the top or a removal; pages only append.
    void reindex()
    {
        m_rowOfName.clear();
        m_rowOfName.reserve(qsizetype(m_items.size()));
        for (size_t i = 0; i < m_items.size(); ++i)
            m_rowOfName.insert(m_traits.name(m_items[i]), int(i));
    }
    void replaceRow(int row, const T &item)
    {
        const QString before = m_traits.state ? m_traits.state(m_items[size_t(row)]) : QString();
        m_items[size_t(row)] = item;
        Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
        const QString after = m_traits.state ? m_traits.state(item) : QString();
        if (before != after)
            Q_EMIT rowStateChanged(m_traits.name(item), after);
    }

    ResourceTraits<T> m_traits;
    std::vector<T> m_items;
    QHash<QString, int> m_rowOfName; // name → row in m_items, so lookups stay O(1) at 10,000 rows
    std::vector<T> m_quietItems;     // pages of a refreshQuietly() not merged yet
    int m_stateColumn = -1;
};

} // namespace models
