#pragma once

// The Playground against a platform as a person uses it: a model uploaded to the sandbox (which
// serves it through Firedeck's engine) on a READY deployment with add-ons, and the same model
// loaded in the local engine; the page, its session, store and engine come from
// PlaygroundPageFixture. Used by ui.playgroundsidebyside and ui.playgroundplatform.

#include "common/appprocess.h"
#include "common/loadoncpu.h"
#include "common/modelupload.h"
#include "common/playgroundpagefixture.h"
#include "common/pythonsyntax.h"
#include "common/sandboxfixture.h"
#include "common/storeseeds.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <client/deployments.h>
#include <client/inference.h>
#include <client/models.h>
#include <client/resourcenames.h>
#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/chattargets.h>
#include <models/conversationexport.h>
#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/sidebyside.h>
#include <ui/chatmessageview.h>
#include <ui/playgroundpage.h>
#include <ui/sidebysideview.h>

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QToolButton>

#include <memory>

namespace testing {

inline const QString kPlatformModel = QStringLiteral("accounts/local/models/tiny-qwen3");
// What a reply says when asking the same target again cannot help.
inline const QString kNotTransientHint =
    QStringLiteral("Retrying the same request will fail the same way: "
                   "pick another target or change the request, "
                   "then Retry.");

class PlaygroundPlatformFixture : public PlaygroundPageFixture
{
protected:
    //! For initTestCase(): the model folder written, uploaded and deployed (skips without the
    //! Qwen3 tokenizer).
    void setUpPlatform()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (!testmodels::haveQwen3Tokenizer())
            QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
        m_modelDir = m_tmp.filePath(QStringLiteral("tiny-qwen3"));
        const QString error = testmodels::writeQwen3Chat(m_modelDir);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        // The platform side: the same folder uploaded as a custom model, on a deployment.
        m_sb = std::make_unique<SandboxFixture>(200);
        const QString uploaded =
            testing::uploadChatModel(m_sb->api(), QStringLiteral("tiny-qwen3"), m_modelDir);
        QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));
        client::Deployment d;
        d.baseModel = kPlatformModel;
        d.minReplicaCount = 1;
        d.maxReplicaCount = 1;
        d.acceleratorType = QStringLiteral("NVIDIA_H100_80GB");
        d.acceleratorCount = 1;
        d.enableAddons = true; // LoRAs can be deployed on it
        auto created = testing::await(m_sb->api().deployments().create(QStringLiteral("tiny"), d));
        FD_VERIFY_OK(created);
        m_deployment = created.value().name;
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto r = testing::await(m_sb->api().deployments().get(m_deployment));
                return r.ok() && r.value().state == client::DeploymentState::Ready;
            },
            30000));
    }

    //! A new store, session and page on this test function's conversation file, on the
    //! sandbox, shown and reloaded.
    bool reopen()
    {
        // What a restart of the app does to the playground: a new store on the same file, a new
        // session and page (the engine keeps what it has loaded).
        if (!openPage(m_tmp.filePath(QStringLiteral("%1.sqlite").arg(QTest::currentTestFunction())),
                      &m_sb->api(), QSize(1400, 800)))
            return false;
        m_page->reload();
        return true;
    }

    bool waitForTarget(const QString &labelStart)
    {
        auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
        return QTest::qWaitFor(
            [&] {
                for (int i = 0; i < target->count(); ++i)
                    if (target->itemText(i).startsWith(labelStart))
                        return true;
                return false;
            },
            20000);
    }

    // Picks the target with the keyboard, as a person does in a combo box with focus.
    bool selectTarget(const QString &labelStart)
    {
        if (!waitForTarget(labelStart))
            return false;
        auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
        target->setFocus();
        QTest::keyClick(target, Qt::Key_Home);
        for (int i = 0; i < target->count() + 1; ++i) {
            if (target->currentText().startsWith(labelStart))
                return true;
            QTest::keyClick(target, Qt::Key_Down);
        }
        return target->currentText().startsWith(labelStart);
    }

    //! The model loaded on the CPU and picked as the target once the deployment is listed too,
    //! its replies at most `maxTokens` long; empty when done, else what failed.
    QString pickLoadedLocalModel(int maxTokens)
    {
        if (const QString loaded = testing::loadOnCpu(*m_engine, m_modelDir, 1024); !loaded.isEmpty())
            return loaded;
        if (!waitForTarget(QStringLiteral("tiny-qwen3 on deployment tiny")))
            return QStringLiteral("the deployment is not offered as a target");
        if (!selectTarget(QStringLiteral("tiny-qwen3 (local CPU)")))
            return QStringLiteral("the loaded model could not be picked as the target");
        m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(maxTokens);
        return {};
    }

    //! The text typed into the side-by-side's input and sent to every column; true once all
    //! have answered.
    bool sendToAll(const QString &text)
    {
        return testing::sendToAll(m_page->sideBySideView(), m_page->findChild<models::SideBySide *>(),
                                  text);
    }

    QTemporaryDir m_tmp;
    QString m_modelDir;
    QString m_deployment;
    std::unique_ptr<SandboxFixture> m_sb;
};

} // namespace testing
