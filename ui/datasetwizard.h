#pragma once

#include <dataset/cleaner.h>
#include <dataset/tokencounter.h>
#include <dataset/validator.h>

#include <client/datasets.h>

#include <QPointer>
#include <QSize>
#include <QString>
#include <QWizard>

#include <optional>

namespace client {
class ApiClient;
}

namespace ui {

class DatasetSourcePage;
class DatasetFormatPage;
class DatasetValidationPage;
class DatasetTokensPage;
class DatasetFixPage;
class DatasetUploadPage;
class FineTuneWizard;

//! What the wizard's pages share: the source file and how to read it, the format, and each
//! step's result. Owned by DatasetWizard; pages read and write it.
struct DatasetWizardState
{
    QString path;
    dataset::SourceKind source = dataset::SourceKind::Auto;
    dataset::CsvMapping csv;
    dataset::Sniff sniff;                              //!< the format page's quick look
    dataset::Format format = dataset::Format::Unknown; //!< the chosen (or detected) format
    QString evalPath; //!< optional eval file checked with the train file
    std::optional<dataset::Report> report;
    std::optional<dataset::TokenStats> tokens;
    int maxContext = 0;
    QStringList written; //!< files the fix step wrote
    QString cleanedPath; //!< the cleaned copy, when written
    QString trainPath;   //!< the split, when written
    QString evalSplitPath;
    QString tokenizerModel; //!< the catalog model whose tokenizer counted, when one did

    //! How the source is read: as chosen on Source, or (Detect) what the file looks like.
    dataset::SourceKind sourceKind() const
    {
        return source == dataset::SourceKind::Auto ? dataset::guessSourceKind(path.toStdString())
                                                   : source;
    }

    //! Another file, or the same one read or checked differently: the report, the counts and
    //! the files Fix & split wrote were of the old rows (the files stay on disk; Upload no
    //! longer offers them).
    void forgetResults()
    {
        report.reset();
        tokens.reset();
        written.clear();
        cleanedPath.clear();
        trainPath.clear();
        evalSplitPath.clear();
    }
};

//! The dataset wizard (issue 15): Source → Format (evidence, override) → Validation (every
//! problem with line and field, streamed off the GUI thread with progress and Cancel) → Tokens
//! (the model folder's tokenizer and chat template, a histogram against the max context) →
//! Fix & split (new files, the source untouched) → Upload (create the dataset, upload through
//! the platform's signed URLs, wait for READY). Keyboard: Alt+N / Alt+B, Tab through each page.
class DatasetWizard : public QWizard
{
    Q_OBJECT
public:
    //! The size it opens at on a screen with room (nine tenths of a smaller one), and the
    //! size of its README screenshots.
    static constexpr QSize kOpenSize{1000, 720};
    enum PageId { SourceId, FormatId, ValidationId, TokensId, FixId, UploadId };

    DatasetWizard(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    ~DatasetWizard() override;

    DatasetWizardState &state() { return m_state; }
    client::ApiClient *api() const { return m_api; }
    //! Fills the source page (tests, --screenshot).
    void setSourceFile(const QString &path);

    DatasetSourcePage *sourcePage() const { return m_source; }
    DatasetFormatPage *formatPage() const { return m_format; }
    DatasetValidationPage *validationPage() const { return m_validation; }
    DatasetTokensPage *tokensPage() const { return m_tokens; }
    DatasetFixPage *fixPage() const { return m_fix; }
    DatasetUploadPage *uploadPage() const { return m_upload; }

    //! --screenshot dataset-wizard FILE: the validation step of a demo file with problems,
    //! saved as PNG. Returns the process exit status.
    static int screenshot(client::ApiClient *api, const QString &file);
    //! --screenshot dataset-wizard-tokens FILE: the Tokens step's histogram of a demo file,
    //! counted with the tokenizer files in `tokenizerDir` (as those of the catalog's Qwen3
    //! 0.6B when the catalog answers). Returns the process exit status.
    static int screenshotTokens(client::ApiClient *api, const QString &file,
                                const QString &tokenizerDir);

    //! Opened from the fine-tuning wizard `caller` (its data page's "New with the dataset
    //! wizard"): the upload step's hand-over gives the READY dataset back to it and closes this
    //! wizard, instead of opening a second fine-tuning wizard.
    void handOverTo(FineTuneWizard *caller);
    FineTuneWizard *handOverTarget() const;
    //! The Tokens step counts with catalog model `name` (the fine-tuning job's base model, and
    //! the tokenizer folder remembered for it) once the catalog lists it, unless the user has
    //! picked a model there first.
    void preferBaseModel(const QString &name);

    //! Escape, Cancel or the window's close button: asks first when work would be lost (the
    //! checks and counts past the Source step, or an upload in flight, which it cancels).
    void reject() override;

Q_SIGNALS:
    //! The dataset was created or reached a new state during the upload step.
    void datasetChanged(const client::Dataset &dataset);

private:
    void loadCatalog();
    client::ApiClient *m_api;
    enum class CatalogState { None, Pending, Loaded } m_catalogState = CatalogState::None;
    QString m_preferredBase; // preferBaseModel()'s model until the catalog lists it
    QList<client::Model> m_catalog; //!< every page of the catalog so far
    DatasetWizardState m_state;
    DatasetSourcePage *m_source;
    DatasetFormatPage *m_format;
    DatasetValidationPage *m_validation;
    DatasetTokensPage *m_tokens;
    DatasetFixPage *m_fix;
    DatasetUploadPage *m_upload;
    QPointer<FineTuneWizard> m_handOverTo;
};

} // namespace ui
