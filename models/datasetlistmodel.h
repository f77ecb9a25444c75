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
};

} // namespace models
