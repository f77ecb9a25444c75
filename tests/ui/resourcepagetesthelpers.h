#pragma once

// What the resource page tests (tst_resourcepages*.cpp, split by theme) share: the detail
// pane's title, a page's action by its words, and one resource of each page's kind created
// on the sandbox before the page loads.

#include "common/pagefixture.h"
#include "common/seeds.h"

#include <ui/datasetspage.h>
#include <ui/deploymentspage.h>
#include <ui/modelspage.h>
#include <ui/secretspage.h>

#include <client/accounts.h>
#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/models.h>

#include <models/datasetlistmodel.h>
#include <models/deploymentlistmodel.h>
#include <models/modellistmodel.h>
#include <models/secretlistmodel.h>

#include <QLabel>

namespace testing {

inline QString detailTitle(QWidget *page)
{
    return page->findChild<QLabel *>(QStringLiteral("detailTitle"))->text();
}

//! The page's action whose text starts with `text` (mnemonics removed).
inline QAction *action(QWidget *page, const char *text)
{
    return actionStartingWith(page, QString::fromUtf8(text));
}

inline client::Model seedModel()
{
    client::Model m;
    m.kind = client::ModelKind::HfBaseModel;
    m.displayName = QStringLiteral("Seeded model");
    m.baseModelDetails = client::BaseModelDetails{};
    m.baseModelDetails->modelType = QStringLiteral("llama");
    m.baseModelDetails->checkpointFormat = QStringLiteral("HUGGINGFACE");
    return m;
}

//! Creates one resource of each page's kind on `api`; returns its full name (as listed).
template <typename Page> QString seed(client::ApiClient &api, const QString &id);

template <> inline QString seed<ui::ModelsPage>(client::ApiClient &api, const QString &id)
{
    auto r = await(api.models().create(id, seedModel()));
    return r.ok() ? r.value().name : QString();
}

template <> inline QString seed<ui::DatasetsPage>(client::ApiClient &api, const QString &id)
{
    client::Dataset d;
    d.displayName = QStringLiteral("Seeded dataset");
    d.userUploaded = true;
    auto r = await(api.datasets().create(id, d));
    return r.ok() ? r.value().name : QString();
}

template <> inline QString seed<ui::DeploymentsPage>(client::ApiClient &api, const QString &id)
{
    auto r = await(api.deployments().create(id, smallDeployment()));
    return r.ok() ? r.value().name : QString();
}

template <> inline QString seed<ui::SecretsPage>(client::ApiClient &api, const QString &id)
{
    auto r = await(api.secrets().create(
        id, id.toUpper().replace(QLatin1Char('-'), QLatin1Char('_')), QStringLiteral("value")));
    return r.ok() ? r.value().name : QString();
}

} // namespace testing
