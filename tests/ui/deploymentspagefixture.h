#pragma once

// The Deployments page against the sandbox: the page with its LoRA list polled fast and
// model-checked, and the deployments and LoRAs the tests put on it.

#include <ui/deploymentspage.h>

#include <client/deployments.h>
#include <client/models.h>
#include <models/deployedmodellistmodel.h>
#include <models/deploymentlistmodel.h>

#include "../common/pagefixture.h"

#include <QAbstractItemModelTester>
#include <QAction>

namespace deploymentspage {

inline const QString kBase = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");

// Simulated provisioning runs 20 times faster: CREATING lasts 1 s, DELETING 0.25 s.
constexpr double kTimeScale = 20.0;

// The shared page fixture, plus the deployed-LoRA list's polling and model checks.
struct PageUnderTest : testing::PageFixture<ui::DeploymentsPage>
{
    explicit PageUnderTest(testing::SandboxFixture &sb) : PageFixture(sb)
    {
        page.loraModel()->setPollIntervalMs(50);
        new QAbstractItemModelTester(page.loraModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest, &page);
        page.resize(1400, 900);
    }
    QAction *action(const char *name) { return page.findChild<QAction *>(QLatin1String(name)); }
    int row(const QString &name) const { return page.model()->rowOfName(name); }
    client::DeploymentState state(const QString &name) const
    {
        const int r = row(name);
        return r >= 0 ? page.model()->item(r).state : client::DeploymentState::Unspecified;
    }
};

template <typename T> T *child(QObject *parent, const char *name)
{
    return parent->findChild<T *>(QLatin1String(name));
}

inline client::Deployment addonDeployment()
{
    client::Deployment d;
    d.baseModel = kBase;
    d.minReplicaCount = 1;
    d.maxReplicaCount = 1;
    d.enableAddons = true;
    return d;
}

// A rank-8 LoRA of kBase, loadable on an addonDeployment().
inline client::Model loraAddon()
{
    client::Model m;
    m.kind = client::ModelKind::HfPeftAddon;
    m.peftDetails = client::PeftDetails{kBase, 8, {QStringLiteral("q_proj")}, {}};
    return m;
}

} // namespace deploymentspage
