// The dataset wizard's --screenshot renderings: the validation step with problems listed, and
// the Tokens step with its histogram (README images, scripts/screenshots).

#include "datasetwizard.h"

#include "datasetwizardpages.h"

#include <client/apiclient.h>
#include <client/resourcenames.h>

#include <QApplication>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>

namespace ui {

namespace {

bool save(QWidget *widget, const QString &file)
{
    const bool ok = widget->grab().save(file, "PNG");
    QTextStream(ok ? stdout : stderr) << (ok ? "saved " : "cannot save ") << file << "\n";
    return ok;
}

} // namespace

int DatasetWizard::screenshot(client::ApiClient *api, const QString &file)
{
    // A small SFT file with one problem of several kinds, so the shot shows the list.
    QTemporaryDir dir;
    const QString demo = dir.filePath(QStringLiteral("support-chats.jsonl"));
    {
        QFile out(demo);
        if (!out.open(QIODevice::WriteOnly))
            return 1;
        const char *rows[] = {
            R"({"messages":[{"role":"system","content":"You answer billing questions."},{"role":"user","content":"Why was I charged twice?"},{"role":"assistant","content":"The second charge is a pending authorisation; it disappears within 3 days."}]})",
            R"({"messages":[{"role":"user","content":"Can I get an invoice?"},{"role":"assistant","content":"Yes: Settings → Billing → Invoices."}]})",
            R"({"messages":[{"role":"user","content":"Cancel my plan"},{"role":"assistant","content":"  "}]})",
            R"({"messages":[{"role":"user","content":"Hi"},{"role":"bot","content":"Hello!"}]})",
            R"({"messages":[{"role":"user","content":"Can I get an invoice?"},{"role":"assistant","content":"Yes: Settings → Billing → Invoices."}]})",
            R"({"messages":[{"role":"user","content":"Refund?"},{"role":"assistant","content":"Within 30 days."},{"role":"user","content":"Thanks"}]})",
            R"({"messages":[{"role":"user","content":"Change card"},{"role":"assistant","content":"Settings → Billing → Payment method."},])",
            R"({"prompt":"Upgrade?","completion":"Settings → Plan."})",
            R"({"messages":[{"role":"user","content":"Do you take PayPal?"},{"role":"assistant","content":"Not yet."}]})",
        };
        for (const char *row : rows) {
            out.write(row);
            out.write("\n");
        }
    }
    DatasetWizard wizard(api);
    wizard.resize(DatasetWizard::kOpenSize); // as it opens on a large screen, whatever this one
    wizard.setSourceFile(demo);
    wizard.show();
    wizard.next(); // Format
    wizard.next(); // Validation starts
    wizard.validationPage()->waitForFinished();
    QCoreApplication::processEvents(); // the finished handler fills the list
    QCoreApplication::processEvents();
    wizard.validationPage()->problemView()->selectRow(1);
    wizard.validationPage()->problemView()->setFocus();
    QCoreApplication::processEvents();
    return save(&wizard, file) ? 0 : 1;
}

int DatasetWizard::screenshotTokens(client::ApiClient *api, const QString &file,
                                    const QString &tokenizerDir)
{
    if (!QFile::exists(QDir(tokenizerDir).filePath(QStringLiteral("tokenizer.json")))) {
        QTextStream(stderr) << "--screenshot dataset-wizard-tokens: no tokenizer.json in \""
                            << tokenizerDir << "\" (set FIREDECK_TOKENIZER_DIR)\n";
        return 1;
    }
    // 600 support chats of spread lengths (a fixed pseudo-random sequence), a few of them
    // longer than the max context, so the histogram and the truncated list have content.
    QTemporaryDir dir;
    const QString demo = dir.filePath(QStringLiteral("support-chats.jsonl"));
    {
        QFile out(demo);
        if (!out.open(QIODevice::WriteOnly))
            return 1;
        const QStringList words =
            QStringLiteral("the invoice plan card refund account billing charge "
                           "settings password team seat upgrade month annual usage "
                           "limit export receipt tax address")
                .split(QLatin1Char(' '));
        uint32_t state = 12345;
        const auto rnd = [&state](uint32_t n) {
            state = state * 1103515245u + 12345u;
            return (state >> 16) % n;
        };
        for (int i = 0; i < 600; ++i) {
            // Mostly short answers, a long tail of long ones.
            const uint32_t n = 20 + rnd(120) + (rnd(10) == 0 ? rnd(900) : 0) + rnd(3) * rnd(150);
            QString answer;
            for (uint32_t w = 0; w < n; ++w)
                answer += words[int(rnd(uint32_t(words.size())))] + QLatin1Char(' ');
            const QByteArray row =
                QStringLiteral(R"({"messages":[{"role":"user","content":"Question %1 )"
                               R"(about my bill?"},{"role":"assistant","content":"%2"}]})")
                    .arg(i)
                    .arg(answer.trimmed())
                    .toUtf8();
            out.write(row + '\n');
        }
    }
    // The Local profile's sandbox starts on its own thread: wait until requests can go out.
    const QDeadlineTimer ready(15000);
    while (api && !api->isReady() && !ready.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    DatasetWizard wizard(api);
    wizard.resize(DatasetWizard::kOpenSize); // as it opens on a large screen, whatever this one
    wizard.setSourceFile(demo);
    wizard.show();
    wizard.next(); // Format
    wizard.next(); // Validation
    wizard.validationPage()->waitForFinished();
    QCoreApplication::processEvents();
    wizard.next(); // Tokens (asks the catalog again if the first try came too early)
    DatasetTokensPage *tokens = wizard.tokensPage();
    // The catalog's Qwen3 0.6B with the tokenizer files pointed to, when the catalog answers.
    const QDeadlineTimer deadline(5000);
    while (api && tokens->baseModelCombo()->count() < 2 && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    tokens->chooseCatalogModel(client::catalogModelName(QStringLiteral("qwen3-0p6b")));
    tokens->setModelDir(tokenizerDir);
    tokens->setMaxContext(512);
    if (auto *epochs = tokens->findChild<QSpinBox *>(QStringLiteral("epochs")))
        epochs->setValue(3);
    tokens->start();
    tokens->waitForFinished();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    if (!wizard.state().tokens) {
        QTextStream(stderr) << "--screenshot dataset-wizard-tokens: counting failed: "
                            << tokens->summaryLabel()->text() << "\n";
        return 1;
    }
    return save(&wizard, file) ? 0 : 1;
}

} // namespace ui
