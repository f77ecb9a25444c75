// The dataset wizard from a CSV, a JSON array file and a JSONL file in the completions format
// ({"prompt", "completion"} lines, made into messages) (issue 15): detected as SFT chat,
// uploaded to READY on the sandbox by clicking Upload, and the user's source file is
// byte-identical afterwards (the platform takes JSONL: Fix & split writes a converted copy
// beside the source, and that copy is what goes up). The JSONL case is in tst_datasetwizard.cpp.

#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>

#include <client/apiclient.h>
#include <client/datasets.h>

#include "../common/sandboxfixture.h"
#include "../common/uitesthelpers.h"

#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool next(QWizard &wizard)
{
    return testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::NextButton)));
}

QPushButton *buttonLabelled(QWidget *page, const QString &text)
{
    for (auto *b : page->findChildren<QPushButton *>())
        if (b->text() == text)
            return b;
    return nullptr;
}

} // namespace

class TestDatasetWizardSources : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sourceFileIsByteIdenticalAfterUpload_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("datasetId");
        QTest::addColumn<int>("examples");
        const auto corpus = [](const char *name) {
            return readAll(QStringLiteral(FIREDECK_TEST_DATA_DIR "/dataset/") +
                           QLatin1String(name));
        };
        QTest::newRow("csv") << QStringLiteral("sft.csv") << corpus("good/sft.csv")
                             << QStringLiteral("from-csv") << 4;
        QTest::newRow("json array")
            << QStringLiteral("sft-array.json") << corpus("good/sft-array.json")
            << QStringLiteral("from-array") << 3;
        // The completions format (OpenAI's legacy fine-tuning files): each line's prompt and
        // completion go up as a user and an assistant message.
        QTest::newRow("prompt/completion JSONL")
            << QStringLiteral("completions.jsonl")
            << QByteArray(R"({"prompt": "2+2?", "completion": "4"})"
                          "\n"
                          R"({"prompt": "Capital of France?", "completion": "Paris"})"
                          "\n"
                          R"({"prompt": "Say hi", "completion": "Hi!\nHow are you?"})"
                          "\n")
            << QStringLiteral("from-completions") << 3;
    }

    void sourceFileIsByteIdenticalAfterUpload()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, contents);
        QFETCH(QString, datasetId);
        QFETCH(int, examples);
        QVERIFY(!contents.isEmpty());
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = dir.filePath(fileName);
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(contents);
        }
        const QByteArray before = readAll(source);
        const QDateTime modified = QFileInfo(source).lastModified();
        QVERIFY(!before.isEmpty());

        ui::DatasetWizard wizard(&sandbox.api());
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        // The path typed into the File field, as a person without the file dialog would.
        QLineEdit *fileField = nullptr;
        for (auto *label : wizard.sourcePage()->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("&File:"))
                fileField = qobject_cast<QLineEdit *>(label->buddy());
        QVERIFY(fileField);
        QTest::mouseClick(fileField, Qt::LeftButton);
        QTest::keyClicks(fileField, source);
        QVERIFY(next(wizard)); // Format
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::FormatId));
        QCOMPARE(wizard.formatPage()->chosenFormat(), dataset::Format::SftChat);
        QVERIFY(next(wizard)); // Validation
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(wizard.state().report.has_value());
        QVERIFY(wizard.state().report->accepted());
        QCOMPARE(wizard.state().report->train.examples, uint64_t(examples));
        QVERIFY(next(wizard)); // Tokens (not counted)
        QVERIFY(next(wizard)); // Fix & split
        // The platform takes JSONL: the cleaned copy is written beside the source, not over it.
        auto *fix = wizard.fixPage();
        QPushButton *write = buttonLabelled(fix, QStringLiteral("&Write files"));
        QVERIFY(write);
        QVERIFY(testing::click(write));
        QTRY_VERIFY_WITH_TIMEOUT(!fix->isRunning() && !wizard.state().cleanedPath.isEmpty(), 10000);
        const QString cleaned = wizard.state().cleanedPath;
        QVERIFY2(cleaned != source && cleaned.endsWith(QStringLiteral(".jsonl")),
                 qPrintable(cleaned));
        QVERIFY(next(wizard)); // Upload
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::UploadId));
        auto *upload = wizard.uploadPage();
        QCOMPARE(upload->fileCombo()->currentData().toString(), cleaned);
        // What goes up is chat messages, line for line.
        const QList<QByteArray> lines = readAll(cleaned).trimmed().split('\n');
        QCOMPARE(lines.size(), examples);
        for (const QByteArray &line : lines)
            QVERIFY2(
                QJsonDocument::fromJson(line).object().value(QStringLiteral("messages")).isArray(),
                line.constData());
        if (fileName == QStringLiteral("completions.jsonl"))
            QCOMPARE(lines.last(),
                     QByteArray(R"({"messages":[{"role":"user","content":"Say hi"},)"
                                R"({"role":"assistant","content":"Hi!\nHow are you?"}]})"));
        upload->setDatasetId(datasetId);
        QPushButton *button = buttonLabelled(upload, QStringLiteral("&Upload"));
        QVERIFY(button);
        QVERIFY(testing::click(button));
        QTRY_VERIFY2_WITH_TIMEOUT(upload->isComplete(), qPrintable(upload->stageLabel()->text()),
                                  20000);
        QCOMPARE(upload->dataset().state, client::DatasetState::Ready);

        const auto got = testing::await(sandbox.api().datasets().get(datasetId));
        QVERIFY(got.ok());
        QCOMPARE(got.value().state, client::DatasetState::Ready);
        QCOMPARE(got.value().exampleCount, examples);
        // The user's file: same bytes, not even rewritten with them.
        QCOMPARE(readAll(source), before);
        QCOMPARE(QFileInfo(source).lastModified(), modified);
    }
};

QTEST_MAIN(TestDatasetWizardSources)
#include "tst_datasetwizardsources.moc"
