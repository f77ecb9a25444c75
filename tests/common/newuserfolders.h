#pragma once

// Empty configuration and data folders, as a new user has them, for tests that start the whole
// app (FiredeckApp) in this process: XDG_CONFIG_HOME and XDG_DATA_HOME point at them and the app
// has its real names, so it reads and writes there and nowhere else.

#include <QByteArray>
#include <QCoreApplication>
#include <QTemporaryDir>

namespace testing {

class NewUserFolders
{
public:
    //! Points the environment and QCoreApplication at the folders; call it once, in
    //! initTestCase. False when a folder could not be made.
    [[nodiscard]] bool install()
    {
        if (!m_config.isValid() || !m_data.isValid())
            return false;
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("Firedeck"));
        QCoreApplication::setApplicationName(QStringLiteral("firedeck"));
        return true;
    }

    //! Where the app keeps the Local sandbox `name`'s data (firedeck/<name> in the data folder).
    QString localSandboxDir(const QString &name = QStringLiteral("local-sandbox")) const
    {
        return m_data.filePath(QStringLiteral("firedeck/") + name);
    }

private:
    QTemporaryDir m_config;
    QTemporaryDir m_data;
};

} // namespace testing
