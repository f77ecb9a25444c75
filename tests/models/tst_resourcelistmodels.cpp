// Every REST list model against the sandbox over loopback, each under
// QAbstractItemModelTester: paging, stale replies, polling of transitional rows, upserts.

#include "common/sandboxfixture.h"
#include "common/seeds.h"
#include "common/storeseeds.h"

#include <client/accounts.h>
#include <client/datasets.h>
#include <client/loggingtransport.h>
#include <client/models.h>
#include <models/apikeylistmodel.h>
#include <models/datasetlistmodel.h>
#include <models/deployedmodellistmodel.h>
#include <models/deploymentlistmodel.h>
#include <models/modellistmodel.h>
#include <models/resourcesortproxy.h>
#include <models/secretlistmodel.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace testing;
using models::ResourceListModel;

class tst_ResourceListModels : public QObject
{
    Q_OBJECT

private:
    void waitSettled(ResourceListModel &m)
    {
        QTRY_VERIFY_WITH_TIMEOUT(m.state() != ResourceListModel::State::Loading, 20000);
    }
    void createModels(SandboxFixture &sb, int count)
    {
        for (int i = 0; i < count; ++i) {
            client::Model m;
            m.kind = client::ModelKind::HfBaseModel;
            m.displayName = QStringLiteral("Model %1").arg(i);
            m.baseModelDetails = client::BaseModelDetails{};
            m.baseModelDetails->modelType = QStringLiteral("llama");
            m.baseModelDetails->checkpointFormat = QStringLiteral("HUGGINGFACE");
            auto r = await(sb.api().models().create(
                QStringLiteral("m-%1").arg(i, 3, 10, QLatin1Char('0')), m));
            QVERIFY2(r.ok(), qPrintable(r.error().summary()));
        }
    }

private Q_SLOTS:
    void fetchMore_appendsPagesUntilExhausted()
    {
        SandboxFixture sb;
        createModels(sb, 25);
        models::ModelListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(10);
        QVERIFY(!model.canFetchMore({})); // nothing before the first refresh
        model.refresh();
        waitSettled(model);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.totalSize(), 25);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QVERIFY(!model.canFetchMore({})); // one request in flight at most
        waitSettled(model);
        QCOMPARE(model.rowCount(), 20);
        model.fetchMore({});
        waitSettled(model);
        QCOMPARE(model.rowCount(), 25);
        QCOMPARE(model.state(), ResourceListModel::State::Exhausted);
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.columnCount(), 7);
        QCOMPARE(model.headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("ID"));
        const int row = model.rowOfName(QStringLiteral("accounts/local/models/m-007"));
        QVERIFY(row >= 0);
        QCOMPARE(
            model.data(model.index(row, ModelListModel_DisplayName()), Qt::DisplayRole).toString(),
            QStringLiteral("Model 7"));
        QVERIFY(model.rawJsonAt(row).contains("\"m-007\"") ||
                model.rawJsonAt(row).contains("m-007"));
    }

    void refresh_dropsStaleReply()
    {
        SandboxFixture sb;
        createModels(sb, 3);
        models::ModelListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh();
        model.setServerFilter(QStringLiteral("display_name=\"Model 1\""));
        model.refresh(); // the first page of the unfiltered refresh must not land after this
        waitSettled(model);
        QTest::qWait(100);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.nameAt(0), QStringLiteral("accounts/local/models/m-001"));
    }

    void error_isReportedAndRetryWorks()
    {
        SandboxFixture sb(1.0, /*acceptAnyKey*/ false);
        sb.api().setApiKey(QStringLiteral("wrong"));
        models::DatasetListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy first(&model, &ResourceListModel::firstPageLoaded);
        model.refresh();
        QTRY_COMPARE(model.state(), ResourceListModel::State::Error);
        QCOMPARE(first.count(), 1);
        QVERIFY(model.lastError());
        QCOMPARE(model.lastError()->kind, client::ApiError::Kind::Unauthorized);
        QVERIFY(!model.canFetchMore({}));
        sb.api().setApiKey(QStringLiteral("fw_local_sandbox_key"));
        model.refresh();
        waitSettled(model);
        QCOMPARE(model.state(), ResourceListModel::State::Exhausted);
        QVERIFY(!model.lastError());
    }

    void poll_updatesTransitionalRowInPlace()
    {
        SandboxFixture sb(/*timeScale*/ 200.0);
        models::DeploymentListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPollIntervalMs(50);
        model.refresh();
        waitSettled(model);
        QCOMPARE(model.rowCount(), 0);
        auto created =
            await(sb.api().deployments().create(QStringLiteral("dep-a"), smallDeployment()));
        FD_VERIFY_OK(created);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &ResourceListModel::rowStateChanged);
        model.upsert(created.value());
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0, 0), ResourceListModel::StateRole).toString(),
                 QStringLiteral("CREATING"));
        QVERIFY(model.data(model.index(0, 0), ResourceListModel::TransitionalRole).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(
            model.data(model.index(0, 0), ResourceListModel::StateRole).toString(),
            QStringLiteral("READY"), 20000);
        QCOMPARE(resets.count(), 0); // rows change in place
        QVERIFY(!changes.isEmpty());
        QCOMPARE(changes.last().at(1).toString(), QStringLiteral("READY"));
    }

    void removeByName_andUpsertExisting()
    {
        SandboxFixture sb;
        auto s1 = await(sb.api().secrets().create(QStringLiteral("s-one"), QStringLiteral("ONE"),
                                                  QStringLiteral("v")));
        FD_VERIFY_OK(s1);
        auto s2 = await(sb.api().secrets().create(QStringLiteral("s-two"), QStringLiteral("TWO"),
                                                  QStringLiteral("v")));
        FD_VERIFY_OK(s2);
        models::SecretListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh();
        waitSettled(model);
        QCOMPARE(model.rowCount(), 2);
        client::Secret changed = s1.value();
        changed.keyName = QStringLiteral("ONE_RENAMED");
        model.upsert(changed);
        QCOMPARE(model.rowCount(), 2);
        const int row = model.rowOfName(s1.value().name);
        QCOMPARE(model.data(model.index(row, 1), Qt::DisplayRole).toString(),
                 QStringLiteral("ONE_RENAMED"));
        model.removeByName(s2.value().name);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowOfName(s2.value().name), -1);
    }

    //! Issue 16 walk: Kind and Format showed the API's spelling (HF_BASE_MODEL,
    //! FORMAT_UNSPECIFIED) and the Datasets Status column was empty for every healthy dataset.
    void kindFormatAndStatus_readAsWords_withTheApiValueInTheTooltip()
    {
        SandboxFixture sb;
        createModels(sb, 1);
        models::ModelListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh();
        waitSettled(model);
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex kind = model.index(0, models::ModelListModel::KindColumn);
        QCOMPARE(kind.data(Qt::DisplayRole).toString(), QStringLiteral("Base model"));
        QVERIFY2(kind.data(Qt::ToolTipRole).toString().contains(QStringLiteral("HF_BASE_MODEL")),
                 qPrintable(kind.data(Qt::ToolTipRole).toString()));

        client::Dataset d;
        d.displayName = QStringLiteral("No file yet");
        d.userUploaded = true;
        auto created = await(sb.api().datasets().create(QStringLiteral("no-file"), d));
        QVERIFY2(created.ok(), qPrintable(created.error().summary()));
        models::DatasetListModel datasets(&sb.api());
        QAbstractItemModelTester datasetsTester(
            &datasets, QAbstractItemModelTester::FailureReportingMode::QtTest);
        datasets.refresh();
        waitSettled(datasets);
        QCOMPARE(datasets.rowCount(), 1);
        const QModelIndex format = datasets.index(0, models::DatasetListModel::FormatColumn);
        QCOMPARE(format.data(Qt::DisplayRole).toString(), QStringLiteral("Not set"));
        QVERIFY(!format.data(Qt::ToolTipRole).toString().isEmpty());
        const QModelIndex status = datasets.index(0, models::DatasetListModel::StatusColumn);
        QCOMPARE(status.data(Qt::DisplayRole).toString(), QStringLiteral("Waiting for its file"));
        // No display text spells a wire value.
        for (int c = 0; c < datasets.columnCount(); ++c)
            QVERIFY2(!datasets.index(0, c).data().toString().contains(QStringLiteral("_")),
                     qPrintable(datasets.index(0, c).data().toString()));
    }

    //! A deployment made without a precision showed an empty Precision cell: the platform
    //! serves the model's default then, and the column says so.
    void deploymentPrecision_unset_readsAsTheModelsDefault()
    {
        SandboxFixture sb;
        FD_VERIFY_OK(
            await(sb.api().deployments().create(QStringLiteral("no-precision"), smallDeployment())));
        client::Deployment fp8 = smallDeployment();
        fp8.precision = QStringLiteral("FP8");
        FD_VERIFY_OK(await(sb.api().deployments().create(QStringLiteral("fp8"), fp8)));
        models::DeploymentListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh();
        waitSettled(model);
        QCOMPARE(model.rowCount(), 2);
        const auto precision = [&](const QString &id) {
            for (int row = 0; row < model.rowCount(); ++row)
                if (model.index(row, models::DeploymentListModel::IdColumn).data() == id)
                    return model.index(row, models::DeploymentListModel::PrecisionColumn);
            return QModelIndex();
        };
        QCOMPARE(precision(QStringLiteral("no-precision")).data().toString(),
                 QStringLiteral("Model default"));
        QVERIFY(!precision(QStringLiteral("no-precision")).data(Qt::ToolTipRole).toString().isEmpty());
        QCOMPARE(precision(QStringLiteral("fp8")).data().toString(), QStringLiteral("FP8"));
    }

    void everyListModel_passesTester()
    {
        SandboxFixture sb;
        auto key = await(
            sb.api().apiKeys().create(QStringLiteral("local-user"), QStringLiteral("ci key")));
        FD_VERIFY_OK(key);
        models::ApiKeyListModel keys(&sb.api());
        keys.setUserId(QStringLiteral("local-user"));
        models::DeployedModelListModel loras(&sb.api());
        models::ModelListModel catalog(&sb.api());
        catalog.setAccount(QStringLiteral("fireworks"));
        QList<ResourceListModel *> all = {&keys, &loras, &catalog};
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        for (ResourceListModel *m : all) {
            testers.push_back(std::make_unique<QAbstractItemModelTester>(
                m, QAbstractItemModelTester::FailureReportingMode::QtTest));
            m->refresh();
        }
        for (ResourceListModel *m : all)
            waitSettled(*m);
        QCOMPARE(keys.rowCount(), 1);
        QCOMPARE(keys.data(keys.index(0, 1), Qt::DisplayRole).toString(), QStringLiteral("ci key"));
        QVERIFY(catalog.rowCount() > 0);
        QCOMPARE(loras.state(), ResourceListModel::State::Exhausted);
    }

    void sortProxy_serverColumnsReloadWithOrderBy()
    {
        SandboxFixture sb;
        createModels(sb, 5);
        models::ModelListModel model(&sb.api());
        models::ResourceSortProxy proxy(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh();
        waitSettled(model);
        proxy.sort(models::ModelListModel::IdColumn, Qt::DescendingOrder);
        waitSettled(model);
        QTRY_COMPARE(model.rowCount(), 5);
        QCOMPARE(model.nameAt(0), QStringLiteral("accounts/local/models/m-004"));
        proxy.sort(models::ModelListModel::DisplayNameColumn, Qt::AscendingOrder); // local sort
        QCOMPARE(proxy.index(0, models::ModelListModel::DisplayNameColumn).data().toString(),
                 QStringLiteral("Model 0"));
        proxy.setFilterFixedString(QStringLiteral("model 3"));
        QCOMPARE(proxy.rowCount(), 1);
    }

    void poll_roundIsBoundedForManyTransitionalRows()
    {
        SandboxFixture sb;
        createModels(sb, 30); // created models stay UPLOADING until files are uploaded
        models::ModelListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(100);
        model.setPollIntervalMs(0);
        model.refresh();
        waitSettled(model);
        QCOMPARE(model.rowCount(), 30);
        QVERIFY(model.data(model.index(0, 0), ResourceListModel::TransitionalRole).toBool());
        int mostInFlight = 0;
        int rounds = 0;
        connect(sb.api().logging(), &client::LoggingTransport::requestsInFlightChanged, &model,
                [&](int n) {
                    mostInFlight = std::max(mostInFlight, n);
                    if (n == 0)
                        ++rounds;
                });
        model.setPollIntervalMs(20);
        QTRY_VERIFY(rounds >= 3);
        QVERIFY(mostInFlight > 0);
        QVERIFY2(mostInFlight <= 20, qPrintable(QString::number(mostInFlight)));
        QCOMPARE(model.rowOfName(QStringLiteral("accounts/local/models/m-029")) >= 0, true);
    }

    //! Issue 16: a reload on coming back to the window merges the loaded pages in place, so
    //! the view keeps its scroll position and selection: no reset, one insert for the model
    //! made outside, one removal for the one deleted, dataChanged only for the renamed row.
    void refreshQuietly_mergesWithoutReset()
    {
        SandboxFixture sb;
        createModels(sb, 25);
        models::ModelListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(10);
        model.setOrderBy(QStringLiteral("name"));
        model.refresh();
        waitSettled(model);
        model.fetchMore({});
        waitSettled(model);
        QCOMPARE(model.rowCount(), 20);

        const auto full = [](const char *id) {
            return QStringLiteral("accounts/local/models/") + QLatin1String(id);
        };
        client::Model fresh;
        fresh.kind = client::ModelKind::HfBaseModel;
        fresh.displayName = QStringLiteral("Made outside");
        fresh.baseModelDetails = client::BaseModelDetails{};
        fresh.baseModelDetails->modelType = QStringLiteral("llama");
        fresh.baseModelDetails->checkpointFormat = QStringLiteral("HUGGINGFACE");
        QVERIFY(await(sb.api().models().create(QStringLiteral("a-new"), fresh)).ok());
        QVERIFY(await(sb.api().models().remove(full("m-005"))).ok());
        auto before = await(sb.api().models().get(full("m-010")));
        QVERIFY(before.ok());
        client::Model renamed = before.value();
        renamed.displayName = QStringLiteral("Renamed");
        QVERIFY(await(sb.api().models().update(full("m-010"), renamed,
                                               client::modelUpdateMask(before.value(), renamed)))
                    .ok());

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy loaded(&model, &ResourceListModel::firstPageLoaded);
        int listRequests = 0;
        connect(sb.api().logging(), &client::LoggingTransport::requestSent, &model,
                [&](const QByteArray &method, const QUrl &url) {
                    if (method == "GET" && url.path().endsWith(QLatin1String("/models")))
                        ++listRequests;
                });
        model.refreshQuietly();
        model.refreshQuietly(); // one in flight: not restarted
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
        QCOMPARE(listRequests, 2); // the two pages that were loaded, once
        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted[0][1].toInt(), 0); // "a-new" sorts first by name
        QCOMPARE(inserted[0][2].toInt(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed[0][1].toInt(), 5); // m-005 was the sixth row
        QCOMPARE(removed[0][2].toInt(), 5);
        QCOMPARE(changed.count(), 1);
        const int renamedRow = model.rowOfName(full("m-010"));
        QCOMPARE(changed[0][0].value<QModelIndex>().row(), renamedRow);
        QCOMPARE(model.data(model.index(renamedRow, ModelListModel_DisplayName()), Qt::DisplayRole)
                     .toString(),
                 QStringLiteral("Renamed"));
        QCOMPARE(model.rowCount(), 20);
        QCOMPARE(model.nameAt(0), full("a-new"));
        QCOMPARE(model.rowOfName(full("m-005")), -1);
        QCOMPARE(model.state(), ResourceListModel::State::Idle);
        model.fetchMore({}); // the page token continues after the merged rows
        waitSettled(model);
        QCOMPARE(model.rowCount(), 25);
        QCOMPARE(model.nameAt(24), full("m-024"));

        // A failing quiet reload keeps the rows and reports the error.
        // 403 is not retried by the client, so the one fault reaches the model.
        sb.addFault(R"({"path": "/models$", "method": "GET", "kind": "status", "status": 403,
                       "count": 1})");
        model.refreshQuietly();
        QTRY_COMPARE_WITH_TIMEOUT(model.state(), ResourceListModel::State::Error, 20000);
        QVERIFY(model.lastError());
        QCOMPARE(model.rowCount(), 25);
        QCOMPARE(resets.count(), 0);
    }

    //! Issue 16: past 1000 loaded rows the quiet reload still merges in place (it used to
    //! fall back to a reset, the table blinking empty and jumping to the top), in pages of
    //! 200: 1101 rows loaded again with 6 requests, one insert, one removal, one change.
    void refreshQuietly_pastAThousandRows_mergesWithoutReset()
    {
        SandboxFixture sb;
        client::Dataset tpl;
        tpl.displayName = QStringLiteral("Template");
        tpl.userUploaded = true;
        QVERIFY(await(sb.api().datasets().create(QStringLiteral("tpl"), tpl)).ok());
        QVERIFY(seedStoredCopies(sb, QStringLiteral("datasets"), QStringLiteral("local"),
                                 QStringLiteral("tpl"), QStringLiteral("ds"), 1100));
        models::DatasetListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh(); // the datasets' own order (by name), pages of the default 50
        waitSettled(model);
        while (model.canFetchMore({})) {
            model.fetchMore({});
            waitSettled(model);
        }
        QCOMPARE(model.rowCount(), 1101);
        QCOMPARE(model.state(), ResourceListModel::State::Exhausted);

        const auto full = [](const QString &id) {
            return QStringLiteral("accounts/local/datasets/") + id;
        };
        QVERIFY(await(sb.api().datasets().create(QStringLiteral("aaa-new"), tpl)).ok());
        const int goneRow = model.rowOfName(full(QStringLiteral("ds-700")));
        QVERIFY(goneRow > 500);
        QVERIFY(await(sb.api().datasets().remove(full(QStringLiteral("ds-700")))).ok());
        client::Dataset renamed = tpl;
        renamed.displayName = QStringLiteral("Renamed");
        QVERIFY(await(sb.api().datasets().update(full(QStringLiteral("tpl")), renamed,
                                                 {QStringLiteral("displayName")}))
                    .ok());

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy loaded(&model, &ResourceListModel::firstPageLoaded);
        int listRequests = 0; // the log has no query: pages of 200 show as their number
        connect(sb.api().logging(), &client::LoggingTransport::requestSent, &model,
                [&](const QByteArray &method, const QUrl &url) {
                    if (method == "GET" && url.path().endsWith(QLatin1String("/datasets")))
                        ++listRequests;
                });
        model.refreshQuietly();
        QCOMPARE(model.state(), ResourceListModel::State::Loading);
        QCOMPARE(model.rowCount(), 1101); // the rows stay while it loads
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(listRequests, 6); // 1101 rows in pages of 200 (23 of the default 50)
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted[0][1].toInt(), 0); // "aaa-new" sorts first by name
        QCOMPARE(inserted[0][2].toInt(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed[0][1].toInt(), goneRow); // removed before the insert above it
        QCOMPARE(changed.count(), 1);
        const int renamedRow = model.rowOfName(full(QStringLiteral("tpl")));
        QCOMPARE(renamedRow, 1100); // the last row, as before
        QCOMPARE(changed[0][0].value<QModelIndex>().row(), renamedRow);
        QVERIFY(model.rawJsonAt(renamedRow).contains("Renamed"));
        QCOMPARE(model.rowCount(), 1101);
        QCOMPARE(model.nameAt(0), full(QStringLiteral("aaa-new")));
        QCOMPARE(model.rowOfName(full(QStringLiteral("ds-700"))), -1);
        QCOMPARE(model.state(), ResourceListModel::State::Exhausted);
    }

private:
    static int ModelListModel_DisplayName() { return models::ModelListModel::DisplayNameColumn; }
};

QTEST_GUILESS_MAIN(tst_ResourceListModels)
#include "tst_resourcelistmodels.moc"
