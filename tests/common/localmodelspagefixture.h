#pragma once

// The Local models page wired as the app wires it, for the tests of what a person does there:
// an engine host, the local engine on it, the library of model folders and the page, shown.

#include <engine/host/enginehost.h>
#include <models/localengine.h>
#include <models/localmodellibrary.h>
#include <ui/localmodelspage.h>

#include <QSettings>
#include <QTest>

#include <memory>

namespace testing {

struct LocalModelsPageFixture
{
    //! A new host, engine, library and page, the page shown at 1200×800. QSettings is cleared
    //! first: the library keeps its folders there (under test/roots), and an earlier test's
    //! folders must not be listed in this one. False when the page was not shown.
    [[nodiscard]] bool open()
    {
        QSettings().clear();
        host = std::make_unique<enginehost::EngineHost>();
        engine = std::make_unique<models::LocalEngine>(host.get());
        library =
            std::make_unique<models::LocalModelLibrary>(nullptr, QStringLiteral("test/roots"));
        page = std::make_unique<ui::LocalModelsPage>(library.get(), engine.get());
        page->resize(1200, 800);
        page->show();
        return QTest::qWaitForWindowExposed(page.get());
    }
    //! Gone in the reverse order of open(): the page before what it shows, the host last.
    void close()
    {
        page.reset();
        library.reset();
        engine.reset();
        host.reset();
    }

    std::unique_ptr<enginehost::EngineHost> host;
    std::unique_ptr<models::LocalEngine> engine;
    std::unique_ptr<models::LocalModelLibrary> library;
    std::unique_ptr<ui::LocalModelsPage> page;
};

} // namespace testing
