#pragma once

// Local training runs read from disk, so they can be watched and compared like platform jobs:
// a Hugging Face Trainer `trainer_state.json` (its `log_history`), a metrics JSONL (the
// platform's shape, platform-api.md §7.2) or a CSV with a header row. Each parser keeps what it
// can read and reports the rest as RunIssues with the line and field. QtCore only.

#include <models/trainingrun.h>

#include <optional>

namespace models {

enum class RunFileFormat { TrainerState, MetricsJsonl, Csv };

//! The format from the file name, or from its first bytes when the name does not say.
std::optional<RunFileFormat> guessRunFileFormat(const QString &path, const QByteArray &head);

//! `log_history`: one point per entry per numeric key at the entry's `step` (`epoch` becomes a
//! series too and gives steps per epoch); `max_steps`, `num_train_epochs`, `train_batch_size`
//! and friends become parameters, and so do the numbers of the Trainer's closing summary (the
//! entry with `train_runtime`: the mean train_loss, total_flos …). A missing or malformed
//! log_history is an issue.
TrainingRun parseTrainerState(const QByteArray &json, const QString &name);

//! The platform's metrics JSONL: every numeric leaf is a series over `step`.
TrainingRun parseMetricsJsonlRun(const QByteArray &jsonl, const QString &name);

//! Comma-separated with a header row. The step column is the first whose name is one of step,
//! global_step, _step, iteration, iter (any case), else the first column; a column named
//! timestamp, _timestamp, wall_time, time or walltime holds wall times (seconds since the epoch
//! or ISO 8601); every other column is a series. Empty cells are skipped; "nan", "inf" and
//! "-inf" are read as such; anything else unreadable is an issue naming line and column.
//! Double quotes around fields (and "" inside them) are understood.
TrainingRun parseMetricsCsv(const QByteArray &csv, const QString &name);

//! Reads and parses a file, named after the file (its folder's name for trainer_state.json,
//! "run/checkpoint-500" when that folder is a checkpoint's).
//! A folder stands for the trainer_state.json in it (a Trainer's output folder).
//! Fails (nullopt, *error says why) when the file cannot be read, is empty or holds no numeric
//! series.
std::optional<TrainingRun> loadRunFile(const QString &path, QString *error = nullptr);

} // namespace models
