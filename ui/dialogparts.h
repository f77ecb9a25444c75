#pragma once

#include <QColor>
#include <QSize>
#include <QFileDialog>
#include <QString>

#include <functional>

class QDialogButtonBox;
class QHBoxLayout;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPalette;
class QProgressBar;
class QPushButton;
class QWidget;

namespace client {
struct ApiError;
}
namespace widgets {
class ErrorBanner;
}
namespace ui::icons {
enum class Action; // ui/icons.h
}

//! Widgets and texts that the resource dialogs share, so that they look and behave alike.
namespace ui {

//! Red for error and problem text that reads on the application palette's window (contrast
//! at least 4.5:1): a dark red on a light window, a light red on a dark one.
QColor errorColor();
//! Dimmed text for hints that still reads on `palette`'s window (at least 4.5:1), which the
//! placeholder and disabled colours do not on the dark theme (about 3.5:1).
QColor hintColor(const QPalette &palette);

//! A hidden, red, selectable label for an error under a field or above the buttons.
QLabel *makeErrorLabel(QWidget *parent, const QString &objectName = QStringLiteral("errorText"));
//! Makes a shown window at least as high as its layout needs at its width. A wrapped label
//! that appears (an error) asks for more height than Qt gives a top-level window by itself,
//! which squeezed the fields above it below their height instead. Once less is needed (the
//! error gone), the height it added is given back, never more.
void growToFit(QWidget *window);
//! Sizes a window to `preferred`, or to nine tenths of the available screen where that is
//! smaller (a 1366x768 laptop): larger, its bottom row (Next, Close, the status bar) fell below
//! the screen's edge.
void resizeWithinScreen(QWidget *window, QSize preferred);
//! Shows `text` in an error label, or hides the label when it is empty; the window grows to fit.
void setErrorText(QLabel *label, const QString &text);
//! Shows a failed call in an error label; the raw details go to its tooltip.
void showCallError(QLabel *label, const QString &what, const client::ApiError &error);

//! A hidden, thin, indeterminate bar ("busy") shown while a short call runs.
QProgressBar *makeBusyBar(QWidget *parent);

//! A hidden "errorBanner" without Retry: the dialog's own OK button retries.
widgets::ErrorBanner *makeErrorBanner(QWidget *parent);

//! A grey, selectable hint under a field; problems in it are marked with problemHtml().
QLabel *makeHintLabel(QWidget *parent, const char *objectName);
//! Rich text with one %1: a problem in a hint label, red enough to notice on light and dark
//! palettes.
QString problemHtml();
//! The hint under a resource ID field: the rule, or what is wrong with `id`.
QString resourceIdHint(const QString &id);

//! The ID and display-name rows of a create dialog: `label` (with its & mnemonic) over an ID
//! field named `idName` (63 characters at most) with its hint label `hintName` below, then
//! "Display name" (client::kMaxDisplayNameLength characters at most, as the platform takes;
//! named "displayNameEdit").
struct ResourceNameRows
{
    QLineEdit *id;
    QLabel *idHint;
    QLineEdit *displayName;
};
ResourceNameRows addResourceNameRows(QFormLayout *form, QWidget *parent, const QString &label,
                                     const char *idName, const char *hintName,
                                     const QString &placeholder);

//! An OK/Cancel button box whose OK button reads `okText` with the icon of `okAction` (what
//! it does, so a reworded or translated label keeps its icon).
QDialogButtonBox *makeOkCancelButtons(QWidget *parent, const QString &okText,
                                      icons::Action okAction);

//! `edit` and a "Browse…" button after it, which opens a window-modal file dialog (`mode`: an
//! existing file or a folder) starting at `edit`'s text and calls `picked` with the choice.
QHBoxLayout *makePathRow(QLineEdit *edit, const QString &caption, QFileDialog::FileMode mode,
                         const QString &filter, std::function<void(const QString &)> picked);

} // namespace ui
