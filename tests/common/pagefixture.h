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

//! A sandbox (timeScale 200, so simulated states settle fast) and a shown, reloading `Page`
//! on it, whose list model is polled every 50 ms and checked by QAbstractItemModelTester.
template <typename Page> struct PageFixture
{
    SandboxFixture sb{200};
    Page page{&sb.api()};
    QAbstractItemModelTester tester{page.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest};

    PageFixture()
    {
        page.model()->setPollIntervalMs(50);
        page.resize(1200, 700);
        page.show();
        page.reload();
    }

    //! Waits for the row of `name` and clicks it with the mouse, as a person selects a
    //! row; false if either does not happen in time.
    bool select(const QString &name) { return selectByMouse(page, name); }
};

} // namespace testing
