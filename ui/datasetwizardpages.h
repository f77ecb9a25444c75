#pragma once

// The pages of DatasetWizard (ui/datasetwizard.h). Long work (validation, token counting,
// writing files) runs on a worker thread through BackgroundTask; the page shows progress and a
// Cancel button and never blocks the GUI thread.

#include <ui/datasetwizard.h>
#include <ui/datasetwizardproblemmodel.h>

#include <client/models.h>

#include <QDateTime>
#include <QFutureWatcher>
#include <QPointer>
#include <QWizardPage>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace widgets {
class CurveChart;
}

namespace ui {

//! `n` with its thousands grouped ("123,378"), as every figure of the wizard is shown.
QString groupedNumber(uint64_t n);
//! Text of the dataset library (UTF-8) as Qt's.
QString qs(std::string_view s);
//! "12 rows" (CSV), "12 elements" (JSON array), "12 lines" (JSONL), grouped.
QString recordCount(dataset::SourceKind source, uint64_t n);

//! One cancellable job on a worker thread, with progress reported to the GUI thread.
class BackgroundTask : public QObject
{
    Q_OBJECT
public:
    explicit BackgroundTask(QObject *parent = nullptr);
    ~BackgroundTask() override; // cancels and waits

    //! Runs `work(cancelFlag, progress)` on a worker; `done` runs on the GUI thread after it.
    void
    start(std::function<void(const std::atomic<bool> &, std::function<void(uint64_t, uint64_t)>)>
              work,
          std::function<void()> done);
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }
    //! Blocks until the job is done (tests, the screenshot).
    void wait() { m_watcher.waitForFinished(); }

Q_SIGNALS:
    void progress(int permille);

private:
    QFutureWatcher<void> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::function<void()> m_done;
};

class DatasetSourcePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit DatasetSourcePage(DatasetWizardState &state);
    void setFile(const QString &path);
    bool isComplete() const override;
    bool validatePage() override;

    QLabel *hintLabel() const { return m_hint; }

private:
    void browse();
    void updateKind();
    //! Reads the header of the CSV at `path` (again only when the file changed) and offers its
    //! columns in the column boxes, the likely ones chosen.
    void readCsvHeader(const QString &path);
    //! Why the mapped user or assistant column is not in the header ("" when both are).
    QString missingCsvColumn() const;
    DatasetWizardState &m_state;
    QLineEdit *m_file;
    QComboBox *m_kind;
    QComboBox *m_prompt;
    QComboBox *m_completion;
    QComboBox *m_system;
    QLineEdit *m_eval;
    QLabel *m_hint;
    QStringList m_header; //!< the CSV header's columns, as written
    QString m_headerOf;   //!< the file m_header was read from
    QDateTime m_headerModified;
    QString m_headerError;
};

class DatasetFormatPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit DatasetFormatPage(DatasetWizardState &state);
    void initializePage() override;
    bool validatePage() override;
    dataset::Format chosenFormat() const;
    void chooseFormat(dataset::Format format);
    //! Which rule of dataset::detectFormat() decided, in words (the Why row).
    static QString reasonText(const dataset::Sniff &sniff);

private:
    DatasetWizardState &m_state;
    QLabel *m_detected;
    QLabel *m_evidence;
    QLabel *m_reason;
    QComboBox *m_format;
};

class DatasetValidationPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit DatasetValidationPage(DatasetWizardState &state);
    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;
    void start();
    void cancel();
    bool isRunning() const { return m_task.isRunning(); }
    void waitForFinished() { m_task.wait(); }
    QTableView *problemView() const { return m_view; }
    DatasetProblemModel *problemModel() const { return m_model; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *severityCombo() const { return m_severity; }
    QLabel *summaryLabel() const { return m_summary; }
    //! Shows the line of the problem at `proxyRow` (Enter or a double click does it).
    void openProblem(int proxyRow);

Q_SIGNALS:
    void finished();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    //! Problems found by the scan, not yet in the model (filled on the worker thread).
    struct ProblemQueue
    {
        std::mutex mutex;
        std::vector<DatasetProblemModel::Row> rows;
        std::atomic<bool> drainPosted{false};
    };
    void showReport();
    //! A sentence in place of the table and the filter when the check found nothing.
    void showNoProblems(bool none);
    //! The summary's last sentence: would the platform take it, and what Fix & split does.
    static QString verdict(const dataset::Report &report);
    //! Moves what the scan found so far into the model (GUI thread).
    void drainProblems();
    DatasetWizardState &m_state;
    std::shared_ptr<ProblemQueue> m_queue;
    BackgroundTask m_task;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QPushButton *m_rerun;
    QLabel *m_summary;
    QLineEdit *m_filter;
    QComboBox *m_severity;
    QTableView *m_view;
    QLabel *m_noProblems; //!< in place of m_view when the check found nothing
    DatasetProblemModel *m_model;
    DatasetProblemFilter *m_proxy;
    bool m_done = false;
};

class DatasetTokensPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit DatasetTokensPage(DatasetWizardState &state);
    void initializePage() override;
    bool isComplete() const override;
    void setModelDir(const QString &dir);
    void setMaxContext(int tokens);
    //! The platform's tunable catalog models, offered as base models whose tokenizer files
    //! the user points to (the wizard fills it once the catalog answers).
    void setCatalog(const QList<client::Model> &models);
    //! Under the base-model picker: "Loading the catalog…" while its pages come, why it is
    //! incomplete, or "" (hidden).
    void setCatalogStatus(const QString &text);
    QLabel *catalogStatusLabel() const { return m_catalogStatus; }
    //! Chooses a catalog model by name ("" for a local model folder); false when not listed.
    bool chooseCatalogModel(const QString &name);
    //! The folder last counted with for a catalog model's tokenizer, or with `catalogModel` ""
    //! the local model folder last counted with (QSettings); "" when none.
    static QString rememberedTokenizerFolder(const QString &catalogModel);
    static void rememberTokenizerFolder(const QString &catalogModel, const QString &folder);
    QComboBox *baseModelCombo() const { return m_base; }
    QLineEdit *modelDirEdit() const { return m_model; }
    void start();
    bool isRunning() const { return m_task.isRunning(); }
    void waitForFinished() { m_task.wait(); }
    QLabel *summaryLabel() const { return m_summary; }
    widgets::CurveChart *chart() const { return m_chart; }
    QListWidget *longestList() const { return m_longest; }

Q_SIGNALS:
    void finished();

private:
    void browse();
    //! The figures: summary, cost note, histogram and the over-length list.
    void showStats();
    //! The summary's lines alone (Epochs changes them without a recount).
    void showSummary();
    //! Max context changed after a count: the counted examples compared with the new limit.
    void maxContextChanged();
    //! No figures: the sentence in place of the chart, `message` in the summary.
    void showNoStats(const QString &message);
    //! Count tokens needs a model folder; its tooltip says so while there is none.
    void updateCountButton();
    //! Why Count tokens is off: no model folder yet.
    static QString noFolderText();
    //! In place of the chart before a count: what counting shows.
    static QString emptyStateText();
    //! Why `folder` cannot be counted with ("" when it has a tokenizer.json).
    QString modelFolderProblem(const QString &folder) const;
    void baseChanged();
    //! The local model folder of the last count, when it is still there.
    void showRememberedLocalFolder();
    DatasetWizardState &m_state;
    BackgroundTask m_task;
    QComboBox *m_base;
    QLabel *m_catalogStatus;
    QLabel *m_modelLabel;
    QLabel *m_modelHint;
    QLineEdit *m_model;
    QSpinBox *m_maxContext;
    QSpinBox *m_epochs;
    QPushButton *m_count;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_summary;
    QLabel *m_cost;       //!< the cost note under the summary, smaller
    QLabel *m_emptyState; //!< in place of the chart and the list until there are figures
    QWidget *m_figures;   //!< the chart and the list, hidden until there are figures
    widgets::CurveChart *m_chart;
    QLabel *m_chartNote; //!< a max context too far right to draw, said in words
    QLabel *m_longestHeading;
    QListWidget *m_longest;
    QLabel *m_longestEmpty; //!< "No example is longer than …" in place of the list
};

class DatasetFixPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit DatasetFixPage(DatasetWizardState &state);
    void initializePage() override;
    void cleanupPage() override;
    //! True for a JSONL source; a CSV or JSON array must be written here before Next.
    bool sourceIsJsonl() const;
    bool isComplete() const override;
    void setOutputFolder(const QString &folder);
    QComboBox *splitCombo() const { return m_split; }
    QDoubleSpinBox *evalPercent() const { return m_evalPercent; }
    void write();
    bool isRunning() const { return m_task.isRunning(); }
    void waitForFinished() { m_task.wait(); }
    QLabel *resultLabel() const { return m_result; }
    //! What the check found that the boxes drop, before anything is written.
    QLabel *foundLabel() const { return m_found; }

Q_SIGNALS:
    void finished();

private:
    DatasetWizardState &m_state;
    BackgroundTask m_task;
    QCheckBox *m_dropInvalid;
    QCheckBox *m_dropDuplicates;
    QCheckBox *m_dropLong;
    QLineEdit *m_out;
    QComboBox *m_split;
    QDoubleSpinBox *m_evalPercent;
    QSpinBox *m_seed;
    QPushButton *m_write;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_result;
    QLabel *m_found;
    QString m_outFor; //!< the source m_out was named after
    void showFound();
    static QString jsonlSubTitle();
};

class DatasetUploadPage : public QWizardPage
{
    Q_OBJECT
public:
    DatasetUploadPage(DatasetWizard *wizard, DatasetWizardState &state);
    void initializePage() override;
    bool isComplete() const override;
    void setDatasetId(const QString &id);
    void setEvalDatasetId(const QString &id);
    void upload();
    //! Stops the upload in flight (Cancel upload); the page says what happened.
    void cancelUpload();
    bool isRunning() const { return m_running; }
    QComboBox *fileCombo() const { return m_file; }
    QLabel *fileHintLabel() const { return m_fileHint; }
    QLabel *stageLabel() const { return m_stage; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *cancelButton() const { return m_cancel; }
    //! The train (or only) dataset, once READY.
    const client::Dataset &dataset() const { return m_dataset; }
    //! The eval split's dataset, once READY (empty name when there is none).
    const client::Dataset &evalDataset() const { return m_evalDataset; }
    //! True when Upload creates two datasets: the train split and the eval split.
    bool uploadsSplit() const;
    //! The file Upload sends as the evaluation dataset: the eval split, or the Source step's
    //! eval file (JSONL) beside the cleaned copy or the source; "" for none.
    QString evalUploadPath() const;

Q_SIGNALS:
    void finished(bool ok);

private:
    struct Job
    {
        QString id;
        QString path;
        QString displayName;
        bool eval = false;
    };
    //! The Source step's eval file when it is JSONL, else "".
    QString sourceEvalFile() const;
    //! The eval dataset's ID row, shown only when the file to upload has an eval part.
    void showEvalId();
    //! Under the file to upload: that the check refused it, when it is the source as it is.
    void showFileHint();
    void fail(const QString &message);
    void runNext();
    void sendFile(const Job &job);
    void togglePause();
    DatasetWizard *m_wizard;
    DatasetWizardState &m_state;
    QFormLayout *m_form;
    QLineEdit *m_id;
    QLineEdit *m_evalId;
    QLineEdit *m_displayName;
    QComboBox *m_file;
    QLabel *m_fileHint;
    QPushButton *m_upload;
    QPushButton *m_fineTune; //!< the hand-over to the fine-tuning wizard
    QPushButton *m_pause;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_stage;
    QLabel *m_results;
    QPointer<QObject> m_flow;
    QList<Job> m_queue;
    QStringList m_created; //!< dataset IDs this page created (a retry uploads into them)
    QString m_idFor;       //!< the source the dataset IDs were named after
    QStringList m_resultLines;
    client::Dataset m_dataset;
    client::Dataset m_evalDataset;
    bool m_running = false;
    bool m_ready = false;
};

} // namespace ui
