#pragma once

#include <models/resourcetablemodel.h>

#include <client/apiclient.h>
#include <client/datasets.h>

namespace models {

//! Datasets of the account; UPLOADING rows are polled until they settle.
class DatasetListModel : public ResourceTableModel<client::Dataset>
{
public:
    enum Column {
        IdColumn,
        DisplayNameColumn,
        FormatColumn,
        StateColumn,
        ExamplesColumn,
        StatusColumn,
        CreatedColumn
    };
    explicit DatasetListModel(client::ApiClient *api, QObject *parent = nullptr); // api not owned

    //! The Format cell's tooltip names the API value; the Status cell's the status code.
    QVariant data(const QModelIndex &index, int role) const override;

    //! What the Status column says: the problem of a refused upload, else where the dataset
    //! stands ("Validated", "Waiting for its file"). The platform's `status` is OK unless an
    //! upload failed, so showing only errors left the column empty.
    static QString statusText(const client::Dataset &dataset);
    //! What the dataset holds, in words and grouped numbers: "200,000 examples, about
    //! 27,172,520 tokens (the platform's estimate), 3.0 turns per example on average";
    //! a figure the platform has not filled is left out (empty when none is).
    static QString figuresText(const client::Dataset &dataset);
};

} // namespace models
