#pragma once

#include <sandbox/apirequest.h>

#include <QString>

#include <optional>
#include <vector>

namespace sandbox {

//! One clause of a list filter: `field=value` or `field!=value`.
struct FilterClause
{
    QString field; //!< camelCase, dotted for nested fields
    bool negate = false;
    QString value;
};

//! Parses the AIP-160 subset the platform supports: field=value, field!=value, joined with AND;
//! values may be quoted and snake_case fields name camelCase JSON. No clauses for an empty
//! filter; nullopt (with `error` set) when a clause cannot be parsed.
std::optional<std::vector<FilterClause>> parseFilter(const QString &filter, QString *error);
//! True when `body` satisfies every clause. Job states match without their JOB_STATE_ prefix
//! and `name` matches on its last segment too.
bool matchesFilter(const Json &body, const std::vector<FilterClause> &clauses);
//! The fields of `body` that a comma-separated (snake_case) read mask keeps, plus `name`.
Json readMaskApply(const Json &body, const QString &readMask);
//! snake_case update-mask and filter paths name camelCase JSON fields.
QString camelFromSnake(const QString &s);

} // namespace sandbox
