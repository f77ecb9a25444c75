#pragma once

// A page under test on its own sandbox, set up the way every page test starts.

#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"

#include <models/resourcelistmodel.h>

#include <QTableView>

#include <QAbstractItemModelTester>
#include <QTest>

namespace testing {

//! Waits for the row of `name` on a resource page and clicks it with the mouse, as a person
//! selects a row; false if either does not happen in time.
template <typename Page> bool selectByMouse(Page &page, const QString &name)
{
    int row = -1;
    if (!QTest::qWaitFor([&] {
            row = viewRowOf(page.view(), models::ResourceListModel::NameRole, name);
            return row >= 0;
        }))
        return false;
    if (!clickRow(page.view(), row))
        return false;
    return QTest::qWaitFor([&] { return page.selectedName() == name; });
}

//! A sandbox (its own with timeScale 200, so simulated states settle fast, or the caller's)
//! and a shown, reloading `Page` on it, whose list model is polled every 50 ms and checked by
//! QAbstractItemModelTester.
template <typename Page> struct PageFixture
{
    std::optional<SandboxFixture> ownSandbox;
    SandboxFixture &sb;
    Page page{&sb.api()};
    QAbstractItemModelTester tester{page.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest};

    PageFixture() : ownSandbox(std::in_place, 200), sb(*ownSandbox) { start(); }
    //! On a sandbox the test prepared (seeded, or with another time scale); not owned.
    explicit PageFixture(SandboxFixture &external) : sb(external) { start(); }

    //! Waits for the row of `name` and clicks it with the mouse, as a person selects a
    //! row; false if either does not happen in time.
    bool select(const QString &name) { return selectByMouse(page, name); }

private:
    void start()
    {
        page.model()->setPollIntervalMs(50);
        page.resize(1200, 700);
        page.show();
        page.reload();
    }
};

} // namespace testing
