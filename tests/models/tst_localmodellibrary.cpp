// The local model library over a tree with every kind of folder: flat, nested three levels
// deep, sharded, a LoRA with its base, a LoRA whose base is elsewhere, an unsupported
// architecture, a quantized config and a broken checkpoint, each with the engine's verdict.

#include <models/localmodellibrary.h>

#include <engine/safetensors/safetensors.h>
#include <engine/safetensors/safetensorswriter.h>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using models::LocalModelLibrary;

namespace {

const QString kGolden = QStringLiteral(FIREDECK_TEST_DATA_DIR "/golden");

bool copyFolder(const QString &from, const QString &to, const QStringList &names)
{
    if (!QDir().mkpath(to))
        return false;
    for (const QString &n : names)
        if (!QFile::copy(QDir(from).filePath(n), QDir(to).filePath(n)))
            return false;
    return true;
}

bool copyModel(const QString &golden, const QString &to)
{
    return copyFolder(kGolden + QLatin1Char('/') + golden, to,
                      {QStringLiteral("config.json"), QStringLiteral("generation_config.json"),
                       QStringLiteral("model.safetensors")});
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// Splits dir/model.safetensors into two shards with an index, as transformers does.
bool shard(const QString &dir)
{
    const std::string single =
        QDir(dir).filePath(QStringLiteral("model.safetensors")).toStdString();
    std::vector<engine::TensorData> a, b;
    QJsonObject map;
    {
        auto file = engine::SafetensorsFile::open(single);
        if (!file)
            return false;
        int i = 0;
        for (const engine::TensorInfo &t : file.value()->header().tensors) {
            auto v = file.value()->tensor(t.name);
            const auto *p = static_cast<const unsigned char *>(v->data);
            engine::TensorData d{t.name, t.dtype, t.shape,
                                 std::vector<unsigned char>(p, p + (t.end - t.begin))};
            const bool first = i++ % 2 == 0;
            (first ? a : b).push_back(d);
            map.insert(QString::fromStdString(t.name),
                       first ? QStringLiteral("model-00001-of-00002.safetensors")
                             : QStringLiteral("model-00002-of-00002.safetensors"));
        }
    }
    QFile::remove(QString::fromStdString(single));
    const QDir d(dir);
    return engine::writeSafetensors(
               d.filePath(QStringLiteral("model-00001-of-00002.safetensors")).toStdString(), a)
               .ok() &&
           engine::writeSafetensors(
               d.filePath(QStringLiteral("model-00002-of-00002.safetensors")).toStdString(), b)
               .ok() &&
           writeFile(d.filePath(QStringLiteral("model.safetensors.index.json")),
                     QJsonDocument(QJsonObject{{QStringLiteral("weight_map"), map}}).toJson());
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

} // namespace

class tst_LocalModelLibrary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void scan_givesEveryFolderItsVerdict();
    void roots_surviveARestartAndRemoveRescans();
    void scan_followsLinkedFoldersOnce();
    void scan_saysHowManyFoldersItSearched();
    void scan_sameNameTwice_isToldApartByItsPath();
    void sizeText_smallFoldersInBytes();

private:
    const LocalModelLibrary::Column kSupported = LocalModelLibrary::SupportedColumn;
    QTemporaryDir m_tmp;
    QString m_root, m_root2;
};

void tst_LocalModelLibrary::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_localmodellibrary"));
    QSettings().clear();
    QVERIFY(m_tmp.isValid());
    m_root = m_tmp.filePath(QStringLiteral("models"));
    m_root2 = m_tmp.filePath(QStringLiteral("more"));
    const QDir r(m_root);
    // Flat: a model right under the root, and its LoRA next to it (base "../tiny-llama3-f32").
    QVERIFY(copyModel(QStringLiteral("tiny-llama3-f32"),
                      r.filePath(QStringLiteral("tiny-llama3-f32"))));
    QVERIFY(copyFolder(
        kGolden + QStringLiteral("/tiny-llama3-lora"),
        r.filePath(QStringLiteral("tiny-llama3-lora")),
        {QStringLiteral("adapter_config.json"), QStringLiteral("adapter_model.safetensors")}));
    // Nested three levels down, with a tokenizer and a chat template.
    const QString nested = r.filePath(QStringLiteral("org/family/qwen3-nested"));
    QVERIFY(copyModel(QStringLiteral("tiny-qwen3-bf16"), nested));
    QVERIFY(QFile::copy(QStringLiteral(FIREDECK_TEST_DATA_DIR "/tokenizer/tiny_valid.json"),
                        QDir(nested).filePath(QStringLiteral("tokenizer.json"))));
    QVERIFY(writeFile(QDir(nested).filePath(QStringLiteral("tokenizer_config.json")),
                      R"({"chat_template":"{% for m in messages %}{{ m.content }}{% endfor %}"})"));
    // Sharded.
    const QString sharded = r.filePath(QStringLiteral("mistral-sharded"));
    QVERIFY(copyModel(QStringLiteral("tiny-mistral-f32"), sharded));
    QVERIFY(shard(sharded));
    // Unsupported architecture: the engine's own refusal.
    const QString gpt2 = r.filePath(QStringLiteral("gpt2-style"));
    QVERIFY(copyModel(QStringLiteral("tiny-llama3-f32"), gpt2));
    QJsonObject cfg = readJson(QDir(gpt2).filePath(QStringLiteral("config.json")));
    cfg.insert(QStringLiteral("model_type"), QStringLiteral("gpt2"));
    QVERIFY(
        writeFile(QDir(gpt2).filePath(QStringLiteral("config.json")), QJsonDocument(cfg).toJson()));
    // Broken: a truncated checkpoint.
    const QString broken = r.filePath(QStringLiteral("broken/truncated"));
    QVERIFY(copyModel(QStringLiteral("tiny-qwen2-f32"), broken));
    QFile st(QDir(broken).filePath(QStringLiteral("model.safetensors")));
    QVERIFY(st.open(QIODevice::ReadWrite));
    QVERIFY(st.resize(st.size() / 2));
    st.close();
    // Second root: a LoRA whose base is not in any root.
    const QString orphan = QDir(m_root2).filePath(QStringLiteral("orphan-lora"));
    QVERIFY(copyFolder(
        kGolden + QStringLiteral("/tiny-llama3-lora"), orphan,
        {QStringLiteral("adapter_config.json"), QStringLiteral("adapter_model.safetensors")}));
    QJsonObject ac = readJson(QDir(orphan).filePath(QStringLiteral("adapter_config.json")));
    ac.insert(QStringLiteral("base_model_name_or_path"), QStringLiteral("someone/not-here-7b"));
    QVERIFY(writeFile(QDir(orphan).filePath(QStringLiteral("adapter_config.json")),
                      QJsonDocument(ac).toJson()));
    // A folder with no model at all is not a row.
    QVERIFY(QDir().mkpath(r.filePath(QStringLiteral("empty/deeper"))));
}

void tst_LocalModelLibrary::scan_givesEveryFolderItsVerdict()
{
    LocalModelLibrary lib(nullptr, QStringLiteral("test/roots1"));
    QAbstractItemModelTester tester(&lib, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&lib, &LocalModelLibrary::scanFinished);
    QVERIFY(lib.addRoot(m_root));
    QVERIFY(!lib.addRoot(m_root)); // once
    QVERIFY(finished.wait(60000));
    QVERIFY(lib.addRoot(m_root2));
    QVERIFY(finished.wait(60000));
    QCOMPARE(lib.rowCount(), 7);

    auto row = [&](const QString &relative) {
        const QString base = relative.startsWith(QLatin1String("more/")) ? m_tmp.path() : m_root;
        return lib.rowForDir(QDir(QDir(base).absoluteFilePath(relative)).absolutePath());
    };
    auto text = [&](int r, int column) { return lib.index(r, column).data().toString(); };

    const int flat = row(QStringLiteral("tiny-llama3-f32"));
    QVERIFY(flat >= 0);
    QCOMPARE(text(flat, LocalModelLibrary::ArchitectureColumn), QStringLiteral("LlamaForCausalLM"));
    QCOMPARE(text(flat, LocalModelLibrary::DTypeColumn), QStringLiteral("F32"));
    QCOMPARE(text(flat, LocalModelLibrary::ContextColumn),
             QString::number(readJson(kGolden + QStringLiteral("/tiny-llama3-f32/config.json"))
                                 .value(QStringLiteral("max_position_embeddings"))
                                 .toInteger()));
    QVERIFY(!text(flat, LocalModelLibrary::ParametersColumn).isEmpty());
    QCOMPARE(text(flat, LocalModelLibrary::ChatTemplateColumn), QStringLiteral("No"));
    QCOMPARE(text(flat, LocalModelLibrary::LoraColumn), QStringLiteral("tiny-llama3-lora"));
    QVERIFY(lib.index(flat, kSupported).data(LocalModelLibrary::SupportedRole).toBool());
    QCOMPARE(text(flat, kSupported), QStringLiteral("Weights only: no tokenizer.json"));
    QCOMPARE(lib.index(flat, kSupported).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Weights only: no tokenizer.json, so it cannot chat"));

    const int lora = row(QStringLiteral("tiny-llama3-lora"));
    QVERIFY(lora >= 0);
    QVERIFY(lib.index(lora, 0).data(LocalModelLibrary::IsAdapterRole).toBool());
    // Its base has no tokenizer.json, and a load of the adapter reads the base's: it said "Yes"
    // and its load then failed on the missing file.
    QVERIFY(lib.entry(lora)->report.supported);
    QVERIFY(!lib.entry(lora)->canChat());
    QCOMPARE(text(lora, kSupported),
             QStringLiteral("Weights only: its base has no tokenizer.json"));
    QCOMPARE(lib.index(lora, kSupported).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Weights only: its base model %1 has no tokenizer.json, so it cannot "
                            "chat")
                 .arg(QDir::toNativeSeparators(lib.entry(flat)->report.dir)));
    QCOMPARE(text(lora, LocalModelLibrary::LoraColumn),
             QStringLiteral("rank 8 on tiny-llama3-f32"));
    // Its base's chat template, which it chats with (the cell was empty).
    QCOMPARE(text(lora, LocalModelLibrary::ChatTemplateColumn), QStringLiteral("No"));
    QCOMPARE(lib.entry(lora)->baseDir,
             QDir(m_root).absoluteFilePath(QStringLiteral("tiny-llama3-f32")));

    // The Loaded column: the base with its adapter attached, and the adapter on its base.
    QCOMPARE(text(flat, LocalModelLibrary::LoadedColumn), QString());
    enginehost::LoadedModel withAdapter;
    withAdapter.handle = 1;
    withAdapter.dir = lib.entry(flat)->report.dir;
    withAdapter.name = QStringLiteral("tiny-llama3-f32");
    withAdapter.adapterDir = lib.entry(lora)->report.dir;
    withAdapter.backendName = QStringLiteral("cpu");
    enginehost::LoadedModel plain = withAdapter;
    plain.handle = 2;
    plain.adapterDir.clear();
    plain.backendName = QStringLiteral("cuda");
    QSignalSpy changed(&lib, &QAbstractItemModel::dataChanged);
    lib.setLoadedModels({withAdapter, plain});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(text(flat, LocalModelLibrary::LoadedColumn),
             QStringLiteral("CPU + LoRA tiny-llama3-lora, CUDA"));
    QCOMPARE(text(lora, LocalModelLibrary::LoadedColumn), QStringLiteral("CPU on tiny-llama3-f32"));
    lib.setLoadedModels({});
    QCOMPARE(text(lora, LocalModelLibrary::LoadedColumn), QString());

    const int nested = row(QStringLiteral("org/family/qwen3-nested"));
    QVERIFY(nested >= 0);
    QCOMPARE(text(nested, kSupported), QStringLiteral("Yes"));
    QCOMPARE(text(nested, LocalModelLibrary::DTypeColumn), QStringLiteral("BF16"));
    QCOMPARE(text(nested, LocalModelLibrary::ChatTemplateColumn), QStringLiteral("Yes"));

    const int sharded = row(QStringLiteral("mistral-sharded"));
    QVERIFY(sharded >= 0);
    QCOMPARE(lib.entry(sharded)->report.shardCount, 2);
    QVERIFY(lib.entry(sharded)->report.supported);
    QVERIFY(lib.entry(sharded)->report.parameterCount > 0);
    QCOMPARE(text(sharded, LocalModelLibrary::ArchitectureColumn),
             QStringLiteral("MistralForCausalLM"));

    const int gpt2 = row(QStringLiteral("gpt2-style"));
    QVERIFY(gpt2 >= 0);
    QVERIFY(!lib.index(gpt2, 0).data(LocalModelLibrary::SupportedRole).toBool());
    QVERIFY2(text(gpt2, kSupported).startsWith(QStringLiteral("No: ")),
             qPrintable(text(gpt2, kSupported)));
    QVERIFY2(text(gpt2, kSupported).contains(QStringLiteral("gpt2")),
             qPrintable(text(gpt2, kSupported)));

    const int broken = row(QStringLiteral("broken/truncated"));
    QVERIFY(broken >= 0);
    QVERIFY(!lib.entry(broken)->report.supported);
    QVERIFY2(lib.entry(broken)->report.reason.contains(QStringLiteral("model.safetensors")),
             qPrintable(lib.entry(broken)->report.reason));
    // The cell leaves the model's folder out of the engine's words (the tooltip has them whole).
    const QString brokenDir = lib.entry(broken)->report.dir;
    QVERIFY2(lib.entry(broken)->report.reason.contains(brokenDir),
             qPrintable(lib.entry(broken)->report.reason));
    QVERIFY2(!text(broken, kSupported).contains(brokenDir), qPrintable(text(broken, kSupported)));
    QVERIFY(text(broken, kSupported).contains(QStringLiteral("model.safetensors")));
    QVERIFY(lib.index(broken, kSupported).data(Qt::ToolTipRole).toString().contains(brokenDir));

    const int orphan = row(QStringLiteral("more/orphan-lora"));
    QVERIFY(orphan >= 0);
    QVERIFY(!lib.entry(orphan)->report.supported);
    QVERIFY(lib.entry(orphan)->report.reason.contains(QStringLiteral("someone/not-here-7b")));
    QCOMPARE(text(orphan, LocalModelLibrary::LoraColumn),
             QStringLiteral("rank 8 on someone/not-here-7b"));
    QCOMPARE(text(orphan, LocalModelLibrary::ChatTemplateColumn), QString()); // no base found
}

void tst_LocalModelLibrary::roots_surviveARestartAndRemoveRescans()
{
    {
        LocalModelLibrary lib(nullptr, QStringLiteral("test/roots2"));
        QSignalSpy finished(&lib, &LocalModelLibrary::scanFinished);
        QVERIFY(lib.addRoot(m_root2));
        QVERIFY(finished.wait(60000));
        QCOMPARE(lib.rowCount(), 1);
    }
    LocalModelLibrary again(nullptr, QStringLiteral("test/roots2"));
    QAbstractItemModelTester tester(&again, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(again.roots(), QStringList{QDir(m_root2).absolutePath()});
    QSignalSpy finished(&again, &LocalModelLibrary::scanFinished);
    again.scan();
    QVERIFY(finished.wait(60000));
    QCOMPARE(again.rowCount(), 1);
    QVERIFY(again.removeRoot(QDir(m_root2).absolutePath()));
    QVERIFY(finished.wait(60000));
    QCOMPARE(again.rowCount(), 0);
    QVERIFY(QSettings().value(QStringLiteral("test/roots2")).toStringList().isEmpty());
}

void tst_LocalModelLibrary::scan_followsLinkedFoldersOnce()
{
    // A model kept on another disk and linked into the root (the scan skipped every link),
    // linked twice, and a link back up to the root.
    const QString real = m_tmp.filePath(QStringLiteral("elsewhere/qwen2-real"));
    QVERIFY(copyModel(QStringLiteral("tiny-qwen2-f32"), real));
    const QDir linked(m_tmp.filePath(QStringLiteral("linked")));
    QVERIFY(linked.mkpath(QStringLiteral("sub")));
    QVERIFY(QFile::link(real, linked.filePath(QStringLiteral("sub/my-qwen"))));
    QVERIFY(QFile::link(real, linked.filePath(QStringLiteral("zz-same-model"))));
    QVERIFY(QFile::link(linked.absolutePath(), linked.filePath(QStringLiteral("sub/loop"))));

    LocalModelLibrary lib(nullptr, QStringLiteral("test/roots3"));
    QAbstractItemModelTester tester(&lib, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&lib, &LocalModelLibrary::scanFinished);
    QVERIFY(lib.addRoot(linked.absolutePath()));
    QVERIFY(finished.wait(60000));
    QCOMPARE(lib.rowCount(), 1);
    // Listed where the user put it (the first link, breadth first by name), not where it lives.
    const QString dir = lib.entry(0)->report.dir;
    QVERIFY2(dir == linked.filePath(QStringLiteral("zz-same-model")) ||
                 dir == linked.filePath(QStringLiteral("sub/my-qwen")),
             qPrintable(dir));
    QVERIFY(lib.entry(0)->report.supported);
}

//! Two copies of one model in different folders were two rows of the same name, and a LoRA's
//! "rank 8 on tiny" did not say on which: a name shared by rows shows its path below the root.
void tst_LocalModelLibrary::scan_sameNameTwice_isToldApartByItsPath()
{
    QTemporaryDir tmp;
    const QDir root(tmp.path());
    QVERIFY(copyModel(QStringLiteral("tiny-llama3-f32"), root.filePath(QStringLiteral("a/tiny"))));
    QVERIFY(writeFile(root.filePath(QStringLiteral("a/tiny/tokenizer_config.json")),
                      R"({"chat_template":"{% for m in messages %}{{ m.content }}{% endfor %}"})"));
    QVERIFY(copyModel(QStringLiteral("tiny-llama3-f32"), root.filePath(QStringLiteral("b/tiny"))));
    QVERIFY(copyModel(QStringLiteral("tiny-qwen2-f32"), root.filePath(QStringLiteral("b/unique"))));
    const QString lora = root.filePath(QStringLiteral("a/lora"));
    QVERIFY(copyFolder(
        kGolden + QStringLiteral("/tiny-llama3-lora"), lora,
        {QStringLiteral("adapter_config.json"), QStringLiteral("adapter_model.safetensors")}));
    QJsonObject ac = readJson(QDir(lora).filePath(QStringLiteral("adapter_config.json")));
    ac.insert(QStringLiteral("base_model_name_or_path"), QStringLiteral("../tiny"));
    QVERIFY(writeFile(QDir(lora).filePath(QStringLiteral("adapter_config.json")),
                      QJsonDocument(ac).toJson()));

    LocalModelLibrary lib(nullptr, QStringLiteral("test/roots5"));
    QAbstractItemModelTester tester(&lib, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&lib, &LocalModelLibrary::scanFinished);
    QVERIFY(lib.addRoot(tmp.path()));
    QVERIFY(finished.wait(60000));
    QCOMPARE(lib.rowCount(), 4);
    auto name = [&](const QString &relative) {
        return lib
            .index(lib.rowForDir(root.absoluteFilePath(relative)), LocalModelLibrary::NameColumn)
            .data()
            .toString();
    };
    QCOMPARE(name(QStringLiteral("a/tiny")), QDir::toNativeSeparators(QStringLiteral("a/tiny")));
    QCOMPARE(name(QStringLiteral("b/tiny")), QDir::toNativeSeparators(QStringLiteral("b/tiny")));
    QCOMPARE(name(QStringLiteral("b/unique")), QStringLiteral("unique")); // alone: its name
    QCOMPARE(name(QStringLiteral("a/lora")), QStringLiteral("lora"));
    QCOMPARE(
        lib.index(lib.rowForDir(root.absoluteFilePath(QStringLiteral("a/lora"))),
                  LocalModelLibrary::LoraColumn)
            .data()
            .toString(),
        QStringLiteral("rank 8 on %1").arg(QDir::toNativeSeparators(QStringLiteral("a/tiny"))));
    // The adapter chats with its base's template (the cell was empty on adapter rows).
    QCOMPARE(lib.index(lib.rowForDir(root.absoluteFilePath(QStringLiteral("a/lora"))),
                       LocalModelLibrary::ChatTemplateColumn)
                 .data()
                 .toString(),
             QStringLiteral("Yes"));
}

//! A tree as large as a home folder takes a while: the scan says how far it got, every
//! kProgressEvery folders (600 here: 256 and 512).
void tst_LocalModelLibrary::scan_saysHowManyFoldersItSearched()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    for (int a = 0; a < 20; ++a)
        for (int b = 0; b < 30; ++b)
            QVERIFY(QDir().mkpath(tmp.filePath(QStringLiteral("a%1/b%2").arg(a).arg(b))));
    QList<int> heard;
    const auto entries =
        LocalModelLibrary::scanRoots({tmp.path()}, {}, [&heard](int n) { heard << n; });
    QVERIFY(entries.empty());
    QCOMPARE(heard, QList<int>({256, 512})); // 1 + 20 + 600 folders
}

//! A folder of a few bytes (a config.json and an empty weights file) read "0.0 KiB", as if
//! nothing were there.
void tst_LocalModelLibrary::sizeText_smallFoldersInBytes()
{
    QCOMPARE(models::LocalModelLibrary::sizeText(0), QStringLiteral("0 bytes"));
    QCOMPARE(models::LocalModelLibrary::sizeText(10), QStringLiteral("10 bytes"));
    QCOMPARE(models::LocalModelLibrary::sizeText(1023), QStringLiteral("1023 bytes"));
    QCOMPARE(models::LocalModelLibrary::sizeText(1024), QStringLiteral("1.0 KiB"));
    QCOMPARE(models::LocalModelLibrary::sizeText(50 * 1024 * 1024 + 1), QStringLiteral("50.0 MiB"));
}

QTEST_GUILESS_MAIN(tst_LocalModelLibrary)
#include "tst_localmodellibrary.moc"
