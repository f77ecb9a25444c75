#pragma once

// A page under test on its own sandbox, set up the way every page test starts.

#include "common/sandboxfixture.h"

#include <QAbstractItemModelTester>
#include <QTest>

namespace testing {

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

    //! Waits for the row of `name` and selects it; false if either does not happen in time.
    bool select(const QString &name)
    {
        if (!QTest::qWaitFor([&] { return page.model()->rowOfName(name) >= 0; }))
            return false;
        page.showResource(name);
        return QTest::qWaitFor([&] { return page.selectedName() == name; });
    }
};

} // namespace testing
