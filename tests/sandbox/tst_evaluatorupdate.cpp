// The Local sandbox's update of an evaluator over loopback HTTP, as docs.fireworks.ai
// api-reference/update-evaluator describes it: "Changing `requirements` or `entry_point`
// triggers a rebuild. To upload new source code, set `prepare_code_upload: true` then follow
// the upload flow" (the query parameter: "transitioning the evaluator to BUILDING state. Can be
// used without update_mask"). New code after a build needs prepareCodeUpload; the new upload is
// built (ACTIVE, or BUILD_FAILED with the build's reason) and replaces the stored source; a
// changed entry point or requirements rebuilds the stored code.

#include "traininghttp.h"

#include <models/evaluatorfolder.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>

namespace {

constexpr auto kPath = "/v1/accounts/local/evaluators/scorer";

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

const QByteArray kGood = "def evaluate(messages, **kw):\n    return {'score': 1.0}\n\n"
                         "def strict(messages, **kw):\n    return {'score': 0.0}\n";
const QByteArray kBroken = "def evaluate(messages, **kw):\n    return {'score': max(1.0,\n";

} // namespace

class tst_EvaluatorUpdate : public testing::TrainingHttp
{
    Q_OBJECT

    QString path(const QString &suffix = {}) const { return QLatin1String(kPath) + suffix; }
    QString create(const QString &entryPoint)
    {
        return evaluator(QStringLiteral("scorer"),
                         {{QStringLiteral("entryPoint"), entryPoint},
                          {QStringLiteral("requirements"), QStringLiteral("numpy\n")}});
    }
    //! PUT to a signed URL as cloud storage wants it (no Authorization).
    testing::Reply put(const QString &url, const QByteArray &data)
    {
        QNetworkRequest request{QUrl(url)};
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
        request.setRawHeader("x-goog-content-length-range", QByteArray::number(data.size()) + ',' +
                                                                QByteArray::number(data.size()));
        QNetworkReply *reply = m_nam.put(request, data);
        QSignalSpy spy(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            (void)spy.wait(20000);
        testing::Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        reply->deleteLater();
        return r;
    }
    //! getUploadEndpoint → PUT each file → validateUpload; empty on success, else the step that
    //! failed with the server's answer.
    QString upload(const QMap<QString, QByteArray> &files)
    {
        QJsonObject sizes;
        for (auto it = files.begin(); it != files.end(); ++it)
            sizes.insert(it.key(), QString::number(it.value().size()));
        const testing::Reply ep =
            call("POST", path(QStringLiteral(":getUploadEndpoint")),
                 QJsonDocument(QJsonObject{{QStringLiteral("filenameToSize"), sizes}}).toJson());
        if (ep.status != 200)
            return QStringLiteral("getUploadEndpoint %1: %2")
                .arg(ep.status)
                .arg(QString::fromUtf8(ep.body));
        const QJsonObject urls = ep.json().value(QStringLiteral("filenameToSignedUrls")).toObject();
        for (auto it = files.begin(); it != files.end(); ++it) {
            const testing::Reply p = put(urls.value(it.key()).toString(), it.value());
            if (p.status != 200)
                return QStringLiteral("PUT %1 %2: %3")
                    .arg(it.key())
                    .arg(p.status)
                    .arg(QString::fromUtf8(p.body));
        }
        const testing::Reply v = call("POST", path(QStringLiteral(":validateUpload")), "{}");
        if (v.status != 200)
            return QStringLiteral("validateUpload %1: %2")
                .arg(v.status)
                .arg(QString::fromUtf8(v.body));
        return {};
    }
    //! The folder `main.py` = `code` and requirements.txt, as the wizard's archive.
    QByteArray archive(const QByteArray &code)
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("code"));
        if (!writeFile(folder + QStringLiteral("/main.py"), code) ||
            !writeFile(folder + QStringLiteral("/requirements.txt"), "numpy\n"))
            return {};
        const QString out = dir.filePath(QStringLiteral("code.tar.gz"));
        QString error;
        if (!models::writeEvaluatorArchive(folder, out, &error)) {
            qWarning("%s", qPrintable(error));
            return {};
        }
        QFile f(out);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    testing::Reply patch(const QString &query, const QJsonObject &body)
    {
        return call("PATCH", path(QLatin1Char('?') + query), QJsonDocument(body).toJson());
    }
    QString state() { return call("GET", path()).json().value(QStringLiteral("state")).toString(); }
    QString statusMessage(const QJsonObject &evaluator)
    {
        return evaluator.value(QStringLiteral("status"))
            .toObject()
            .value(QStringLiteral("message"))
            .toString();
    }
    QJsonObject waitBuilt()
    {
        return waitFor(path(), {QStringLiteral("ACTIVE"), QStringLiteral("BUILD_FAILED")}, 20000);
    }
    QStringList sourceFiles()
    {
        return call("GET", path(QStringLiteral(":getSourceCodeSignedUrl")))
            .json()
            .value(QStringLiteral("filenameToSignedUrls"))
            .toObject()
            .keys();
    }

private Q_SLOTS:
    void init() { startServer(200.0); }
    void cleanup() { m_server.reset(); }

    void newCode_needsPrepareCodeUpload_thenIsBuiltAndReplacesTheSource()
    {
        QCOMPARE(create(QStringLiteral("main.py::evaluate")), QString());
        // The creation's upload window stays open after its own timer ran out: no code yet.
        QCOMPARE(waitBuilt().value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));
        QString problem = upload({{QStringLiteral("main.py"), kGood}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(waitBuilt().value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));

        // Built code: new code needs a new upload attempt first.
        problem = upload({{QStringLiteral("grader.py"), kGood}});
        QVERIFY2(problem.startsWith(QStringLiteral("getUploadEndpoint 400")), qPrintable(problem));
        QVERIFY2(problem.contains(QStringLiteral("FAILED_PRECONDITION")) &&
                     problem.contains(QStringLiteral("prepareCodeUpload=true")),
                 qPrintable(problem));

        // The wizard's PATCH: the update mask's fields are taken, the evaluator goes BUILDING.
        const testing::Reply p =
            patch(QStringLiteral("updateMask=entry_point,requirements&prepareCodeUpload=true"),
                  {{QStringLiteral("entryPoint"), QStringLiteral("grader.py::strict")},
                   {QStringLiteral("requirements"), QStringLiteral("numpy\nscipy\n")},
                   {QStringLiteral("description"), QStringLiteral("not in the mask")}});
        QCOMPARE(p.status, 200);
        QCOMPARE(p.json().value(QStringLiteral("state")).toString(), QStringLiteral("BUILDING"));
        QCOMPARE(p.json().value(QStringLiteral("entryPoint")).toString(),
                 QStringLiteral("grader.py::strict"));
        QCOMPARE(p.json().value(QStringLiteral("requirements")).toString(),
                 QStringLiteral("numpy\nscipy\n"));
        QVERIFY(!p.json().contains(QStringLiteral("description")));
        // Nothing registered in the new attempt: validateUpload has nothing to build.
        const testing::Reply early = call("POST", path(QStringLiteral(":validateUpload")), "{}");
        QCOMPARE(early.status, 400);
        QVERIFY2(early.body.contains("call getUploadEndpoint first"), early.body.constData());
        // Waiting for its code, it does not build by itself (a build here takes 20 ms), nor
        // does a change of its requirements start one.
        QCOMPARE(patch(QStringLiteral("updateMask=requirements"),
                       {{QStringLiteral("requirements"), QStringLiteral("numpy\nscipy\nrich\n")}})
                     .status,
                 200);
        QTest::qWait(300);
        QCOMPARE(state(), QStringLiteral("BUILDING"));

        problem = upload({{QStringLiteral("grader.py"), kGood}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QJsonObject built = waitBuilt();
        QCOMPARE(built.value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));
        QCOMPARE(statusMessage(built), QString());
        // The new upload is the evaluator's source now: the earlier file is gone.
        QCOMPARE(sourceFiles(), QStringList{QStringLiteral("grader.py")});
    }

    void prepareCodeUpload_withoutMaskOrBody_reopensTheUpload()
    {
        QCOMPARE(create(QStringLiteral("main.py::evaluate")), QString());
        QString problem = upload({{QStringLiteral("main.py"), kGood}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(waitBuilt().value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));
        const testing::Reply p = call("PATCH", path(QStringLiteral("?prepareCodeUpload=true")));
        QVERIFY2(p.status == 200, p.body.constData());
        QCOMPARE(p.json().value(QStringLiteral("state")).toString(), QStringLiteral("BUILDING"));
        QCOMPARE(p.json().value(QStringLiteral("entryPoint")).toString(),
                 QStringLiteral("main.py::evaluate"));
        // Without prepareCodeUpload an empty body stays an error.
        QCOMPARE(call("PATCH", path(QStringLiteral("?updateMask=description"))).status, 400);
        problem = upload({{QStringLiteral("main.py"), kGood}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(waitBuilt().value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));
    }

    void reupload_brokenEntryFileFailsWithItsReason_fixedOneIsActive()
    {
        const QByteArray good = archive(kGood);
        const QByteArray broken = archive(kBroken);
        QVERIFY(!good.isEmpty() && !broken.isEmpty());
        QCOMPARE(create(QStringLiteral("main.py::evaluate")), QString());
        QString problem = upload({{QStringLiteral("code.tar.gz"), good}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(waitBuilt().value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));

        const QString mask = QStringLiteral("updateMask=entry_point,requirements&"
                                            "prepareCodeUpload=true");
        const QJsonObject settings{
            {QStringLiteral("entryPoint"), QStringLiteral("main.py::evaluate")},
            {QStringLiteral("requirements"), QStringLiteral("numpy\n")}};
        QCOMPARE(patch(mask, settings).status, 200);
        problem = upload({{QStringLiteral("code.tar.gz"), broken}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QJsonObject built = waitBuilt();
        QCOMPARE(built.value(QStringLiteral("state")).toString(), QStringLiteral("BUILD_FAILED"));
        QCOMPARE(statusMessage(built),
                 QStringLiteral("The entry point main.py::evaluate cannot be imported: "
                                "SyntaxError: '(' was never closed (main.py, line 2)"));
        QCOMPARE(built.value(QStringLiteral("status")).toObject().value(QStringLiteral("code")),
                 QStringLiteral("INVALID_ARGUMENT"));

        // A failed build is built code too: the fix goes up in a new attempt.
        QVERIFY(upload({{QStringLiteral("code.tar.gz"), good}})
                    .startsWith(QStringLiteral("getUploadEndpoint 400")));
        const testing::Reply p = patch(mask, settings);
        QCOMPARE(p.json().value(QStringLiteral("state")).toString(), QStringLiteral("BUILDING"));
        QVERIFY(!p.json().contains(QStringLiteral("status"))); // the old failure is gone
        problem = upload({{QStringLiteral("code.tar.gz"), good}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        built = waitBuilt();
        QCOMPARE(built.value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));
        QCOMPARE(statusMessage(built), QString());
        QCOMPARE(sourceFiles(), QStringList{QStringLiteral("code.tar.gz")});
    }

    void entryPointOrRequirementsChange_rebuildsTheStoredCode()
    {
        QCOMPARE(create(QStringLiteral("main.py::evaluate")), QString());
        QString problem = upload({{QStringLiteral("code.tar.gz"), archive(kGood)}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(waitBuilt().value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));

        // An entry point the stored code does not define: the rebuild fails saying so.
        testing::Reply p = patch(QStringLiteral("updateMask=entry_point"),
                                 {{QStringLiteral("entryPoint"), QStringLiteral("main::missing")}});
        QCOMPARE(p.status, 200);
        QCOMPARE(p.json().value(QStringLiteral("state")).toString(), QStringLiteral("BUILDING"));
        QJsonObject built = waitBuilt();
        QCOMPARE(built.value(QStringLiteral("state")).toString(), QStringLiteral("BUILD_FAILED"));
        QCOMPARE(statusMessage(built), QStringLiteral("The entry point main::missing: main.py "
                                                      "defines no function missing."));
        // One it defines: ACTIVE again, from the same stored code.
        p = patch(QStringLiteral("updateMask=entryPoint"),
                  {{QStringLiteral("entryPoint"), QStringLiteral("main.py::strict")}});
        QCOMPARE(p.json().value(QStringLiteral("state")).toString(), QStringLiteral("BUILDING"));
        built = waitBuilt();
        QCOMPARE(built.value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));
        QCOMPARE(statusMessage(built), QString());
        // New requirements rebuild too.
        p = patch(QStringLiteral("updateMask=requirements"),
                  {{QStringLiteral("requirements"), QStringLiteral("numpy\nscipy\n")}});
        QCOMPARE(p.json().value(QStringLiteral("state")).toString(), QStringLiteral("BUILDING"));
        QCOMPARE(waitBuilt().value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));
        // Metadata, or the same values again, do not.
        p = patch(QStringLiteral("updateMask=description,requirements"),
                  {{QStringLiteral("description"), QStringLiteral("checks the answer")},
                   {QStringLiteral("requirements"), QStringLiteral("numpy\nscipy\n")}});
        QCOMPARE(p.status, 200);
        QCOMPARE(p.json().value(QStringLiteral("state")).toString(), QStringLiteral("ACTIVE"));
        QCOMPARE(sourceFiles(), QStringList{QStringLiteral("code.tar.gz")});
    }
};

QTEST_GUILESS_MAIN(tst_EvaluatorUpdate)
#include "tst_evaluatorupdate.moc"
