#pragma once

#include <sandbox/apirequest.h>

#include <QString>

#include <optional>
#include <vector>

namespace sandbox {

//! The JSON type an input field must have.
enum class FieldKind {
    String,
    Int32, //!< an integer (a float with no fraction is accepted and truncated)
    Number,
    Bool,
    Object,
    Array,
    Int64, //!< a string or an integer; stored as a string, as proto3 JSON does
};

//! One input field of a collection's resources.
struct FieldSpec
{
    const char *name;
    FieldKind kind;
    bool required = false;
};

//! A control-plane collection: its list key, default order and input fields.
struct CollectionSpec
{
    const char *collection;
    const char *listKey;
    const char *defaultOrder; // "name" or "create_time"
    std::vector<FieldSpec> fields;
};

//! Every collection the platform serves.
const std::vector<CollectionSpec> &collectionSpecs();
//! The spec of `collection`; null when the platform has no such collection.
const CollectionSpec *specFor(const QString &collection);
//! True for the training-job collections (SFT, DPO, RFT, RLOR trainer).
bool isJobCollection(const QString &collection);

//! How an error message names `kind` ("a string", "an integer", ...).
const char *fieldKindName(FieldKind kind);
//! True when `value` has the JSON type `kind` asks for.
bool valueMatches(const Json &value, FieldKind kind);

//! Keeps the input fields of `spec` from `in` (after type checks); output-only and unknown
//! fields are dropped as the platform ignores them. An INVALID_ARGUMENT answer on a bad type,
//! or on a missing required field when `checkRequired`.
std::optional<ApiResponse> filterInput(const CollectionSpec &spec, const Json &in, Json &out,
                                       bool checkRequired);

} // namespace sandbox
