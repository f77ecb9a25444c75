#include "requestdescription.h"

#include <QCoreApplication>
#include <QStringList>

namespace client {

namespace {

struct CollectionWords
{
    const char *collection, *plural, *singular, *indefinite;
};

// The app's collections; one not listed reads as the platform spells it.
constexpr CollectionWords kCollections[] = {
    {"models", "models", "model", "a model"},
    {"datasets", "datasets", "dataset", "a dataset"},
    {"deployments", "deployments", "deployment", "a deployment"},
    {"deployedModels", "LoRA loads", "LoRA load", "a LoRA load"},
    {"deploymentShapes", "deployment shapes", "deployment shape", "a deployment shape"},
    {"users", "users", "user", "a user"},
    {"apiKeys", "API keys", "API key", "an API key"},
    {"secrets", "secrets", "secret", "a secret"},
    {"evaluators", "evaluators", "evaluator", "an evaluator"},
    {"evaluatorsV2", "evaluators", "evaluator", "an evaluator"},
    {"evaluationJobs", "evaluation jobs", "evaluation job", "an evaluation job"},
    {"batchInferenceJobs", "batch inference jobs", "batch inference job", "a batch inference job"},
    {"supervisedFineTuningJobs", "fine-tuning jobs", "fine-tuning job", "a fine-tuning job"},
    {"dpoJobs", "DPO jobs", "DPO job", "a DPO job"},
    {"reinforcementFineTuningJobs", "RFT jobs", "RFT job", "an RFT job"},
    {"rlorTrainerJobs", "RFT step jobs", "RFT step job", "an RFT step job"},
};

CollectionWords wordsFor(const QString &collection)
{
    for (const CollectionWords &w : kCollections)
        if (collection == QLatin1String(w.collection))
            return w;
    return {nullptr, nullptr, nullptr, nullptr};
}

QString tr(const char *text)
{
    return QCoreApplication::translate("client::describeRequest", text);
}

//! A custom verb on one resource ("Cancelling fine-tuning job j"); empty when unknown.
QString verbOnResource(const QString &verb, const QString &resource)
{
    struct Verb
    {
        const char *verb, *text;
    };
    static constexpr Verb verbs[] = {
        {"upload", "Uploading the file of %1"},
        {"getUploadEndpoint", "Preparing the upload of %1"},
        {"validateUpload", "Checking the upload of %1"},
        {"getDownloadEndpoint", "Preparing the download of %1"},
        {"undelete", "Undeleting %1"},
        {"scale", "Scaling %1"},
        {"cancel", "Cancelling %1"},
        {"resume", "Resuming %1"},
        {"prepare", "Preparing %1 for serving"},
        {"import", "Importing %1"},
        {"splitDataset", "Splitting %1"},
        {"estimateCost", "Estimating the cost of %1"},
        {"getMetricsFileEndpoint", "Fetching the metrics of %1"},
        {"getExecutionLogEndpoint", "Fetching the log of %1"},
        {"getBuildLogEndpoint", "Fetching the build log of %1"},
        {"getSourceCodeSignedUrl", "Fetching the source code of %1"},
        {"previewEvaluator", "Previewing %1"},
        {"executeTrainStep", "Running a training step of %1"},
    };
    for (const Verb &v : verbs)
        if (verb == QLatin1String(v.verb))
            return tr(v.text).arg(resource);
    return tr("A request about %1 (%2)").arg(resource, verb);
}

} // namespace

QString describeRequest(const QByteArray &method, const QUrl &url)
{
    const QString path = url.path();
    if (path.endsWith(QLatin1String("/chat/completions")))
        return tr("A chat reply");
    if (path.endsWith(QLatin1String("/completions")))
        return tr("A completion");
    if (path.startsWith(QLatin1String("/inference/")) && path.endsWith(QLatin1String("/models")))
        return tr("Listing the models that answer chats");
    if (!path.startsWith(QLatin1String("/v1/accounts/")))
        return {};
    QStringList segments = path.mid(int(qstrlen("/v1/"))).split(QLatin1Char('/'));
    QString verb;
    if (const qsizetype colon = segments.last().indexOf(QLatin1Char(':')); colon >= 0) {
        verb = segments.last().mid(colon + 1);
        segments.last().truncate(colon);
    }
    // accounts/{a}[/{collection}/{id}]*[/{collection}]
    if (segments.size() < 2 || segments.contains(QString()))
        return {};
    if (segments.size() == 2)
        return verb.isEmpty() && method == "GET" ? tr("Reading the account") : QString();
    const bool oneResource = segments.size() % 2 == 0;
    const QString collection = segments[oneResource ? segments.size() - 2 : segments.size() - 1];
    const CollectionWords words = wordsFor(collection);
    const QString plural = words.plural ? tr(words.plural) : collection;
    const QString singular = words.singular ? tr(words.singular) : collection;
    const QString indefinite = words.indefinite ? tr(words.indefinite) : collection;
    if (!oneResource) {
        if (verb == QLatin1String("delete")) // apiKeys:delete takes the key in its body
            return tr("Deleting %1").arg(indefinite);
        if (!verb.isEmpty())
            return {};
        if (method == "GET")
            return tr("Listing %1").arg(plural);
        if (method == "POST")
            return tr("Creating %1").arg(indefinite);
        return {};
    }
    const QString resource = singular + u' ' + segments.last();
    if (!verb.isEmpty())
        return verbOnResource(verb, resource);
    if (method == "GET")
        return tr("Reading %1").arg(resource);
    if (method == "PATCH")
        return tr("Updating %1").arg(resource);
    if (method == "DELETE")
        return tr("Deleting %1").arg(resource);
    return {};
}

} // namespace client
